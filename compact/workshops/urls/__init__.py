"""Workshop pages: planning (planning.py), registration and guest links (registration.py), the
live wall, joining by code and the projector (live.py)."""

from .live import urlpatterns as live_urls
from .planning import urlpatterns as planning_urls
from .registration import urlpatterns as registration_urls
from .themes import urlpatterns as theme_urls
from .voting import urlpatterns as voting_urls
from .writeup import urlpatterns as writeup_urls

urlpatterns = planning_urls + registration_urls + live_urls + theme_urls + voting_urls + writeup_urls
