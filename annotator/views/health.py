import logging

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def unapplied_migrations() -> int:
    """How many of the code's migrations the database lacks (one query for the applied
    ones; the migration files are already imported)."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app can reach its database and the database is migrated; 503 otherwise
    (for load balancers: an unmigrated database fails every data request)."""
    try:
        missing = unapplied_migrations()
    except Exception:  # any database failure means unhealthy; the details go to the log
        logger.exception("health check: the database cannot be reached")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if missing:
        logger.error("health check: %d migrations are not applied", missing)
        return JsonResponse(
            {
                "status": "error",
                "database": connection.vendor,
                "migrations": f"{missing} not applied: run manage.py migrate",
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database": connection.vendor, "migrations": "applied"})
