"""Admin pages that are not a model's: the data consistency report."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from dataio.consistency import problems_by_check


@staff_member_required
@never_cache
def consistency_report(request):
    """Staff only: what ``check_data`` finds, each problem linked to the admin page that fixes it."""
    checks = problems_by_check()
    context = {
        **admin.site.each_context(request),
        "title": "Data consistency",
        "checks": checks,
        "problem_count": sum(len(problems) for check, problems in checks if not check.note),
    }
    return TemplateResponse(request, "admin/consistency_report.html", context)
