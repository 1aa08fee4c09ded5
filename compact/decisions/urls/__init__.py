"""Decision pages: proposals and the decision log (proposals.py), meetings (meetings.py)."""

from .meetings import urlpatterns as meeting_urls
from .proposals import urlpatterns as proposal_urls

urlpatterns = proposal_urls + meeting_urls
