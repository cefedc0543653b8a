"""Import and export screens; owned by the import/export helper (kept separate on purpose)."""

urlpatterns = []
