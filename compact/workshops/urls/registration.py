urlpatterns = []  # registration pages: being written
