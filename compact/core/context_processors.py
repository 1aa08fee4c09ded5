from django.conf import settings


def site(request):
    return {"SITE_NAME": "Compact", "DEBUG": settings.DEBUG}
