from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compact.accounts"
    label = "accounts"
