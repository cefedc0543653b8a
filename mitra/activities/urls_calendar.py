"""Calendar views of appointments (owned by the calendar helper); included by urls.py."""

urlpatterns = []
