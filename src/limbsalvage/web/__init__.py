"""The web application: server-rendered pages, the JSON API under /api/v1 and health checks."""
