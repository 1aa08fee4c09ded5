from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("compact.core.urls")),
    path("", include("compact.activity.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("compact.partnerships.urls")),
    path("", include("compact.processes.urls")),
    path("", include("compact.decisions.urls")),
    path("", include("compact.workshops.urls")),
    path("", include("compact.casestudies.urls")),
    path("", include("compact.drafting.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "SERVE_MEDIA", False):
    # Browser tests (config.settings.e2e) run with DEBUG off but still need uploaded logos.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
