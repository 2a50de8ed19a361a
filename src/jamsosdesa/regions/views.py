from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jamsosdesa.core.regioncodes import Level

from .selectors import region_search


@login_required
def region_search_partial(request):
    """Desa picker results (htmx): every match with its kecamatan and kabupaten."""
    query = request.GET.get("desa_q", "") or request.GET.get("region_q", "") or request.GET.get("q", "")
    level = Level.DESA if request.GET.get("level", "4") == "4" else None
    hits = region_search(query, level=level, limit=15) if len(query.strip()) >= 3 else []
    target = request.GET.get("target", "id_desa")
    if target not in ("id_desa", "id_region"):
        target = "id_desa"
    return render(request, "regions/_search.html", {"hits": hits, "query": query, "target": target,
                                                    "submit": request.GET.get("submit") == "1"})
