"""Mounted at /api/v1/ outside the language prefixes: the API is language-neutral."""

from .api import api

urlpatterns, _app, app_name = api.urls
