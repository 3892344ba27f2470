"""The public JSON API at /api/v1/ (django-ninja), with its OpenAPI schema."""
