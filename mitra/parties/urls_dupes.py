"""Duplicate finder and merge screens; owned by the duplicates helper (kept separate on purpose)."""

urlpatterns = []
