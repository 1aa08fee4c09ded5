from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """SIGNUP_OPEN=false closes self sign-up; invitation links still create accounts."""
        return getattr(settings, "ACCOUNT_SIGNUP_OPEN", True)
