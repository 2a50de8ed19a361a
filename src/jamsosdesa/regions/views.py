from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from jamsosdesa.core.regioncodes import Level, code_within
from jamsosdesa.core.roles import Role

from .selectors import region_search, user_area


@login_required
def region_search_partial(request):
    """The region picker's results (htmx): the user's own area first, each region outside it marked, and not
    offered where choosing it would lead nowhere: a desa outside the area cannot be registered in, and a list
    filtered on a region outside it would be empty (a PERISAI agent also sees the people it registered anywhere).

    Without HX-Request (a reload, a bookmarked or shared link) the same search is a full page, never a bare list,
    and the answer tells htmx not to put its address into the address bar."""
    query = request.GET.get("desa_q", "") or request.GET.get("region_q", "") or request.GET.get("q", "")
    level = Level.DESA if request.GET.get("level", "4") == "4" else None
    area = user_area(request.user)
    hits = region_search(query, level=level, limit=15, area=area) if len(query.strip()) >= 3 else []
    target = request.GET.get("target", "id_desa")
    if target not in ("id_desa", "id_region"):
        target = "id_desa"
    filtering = target == "id_region"
    for hit in hits:
        if filtering:  # a list filter: anything overlapping the area shows someone
            hit["choosable"] = hit["in_area"] or request.user.role == Role.PERISAI_AGENT
        else:  # registering: only a desa inside the area
            hit["choosable"] = area is None or any(code_within(hit["code"], mine) for mine in area)
    context = {"hits": hits, "query": query, "target": target, "submit": request.GET.get("submit") == "1",
               "level": "4" if level else "any", "blocked": any(not hit["choosable"] for hit in hits)}
    if request.headers.get("HX-Request"):
        response = render(request, "regions/_search.html", context)
        response["HX-Push-Url"] = "false"
    else:
        response = render(request, "regions/search.html", context | {"page": True})
    patch_vary_headers(response, ["HX-Request"])
    return response
