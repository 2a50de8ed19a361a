"""`{% scholarship_panel %}`: the scholarship section of the claim page (claims/_scholarship.html includes it), built by
claims.views_scholarship.scholarship_context for the user viewing the page."""

from django import template

register = template.Library()


@register.inclusion_tag("claims/_scholarship_panel.html", takes_context=True)
def scholarship_panel(context):
    from jamsosdesa.claims.views_scholarship import scholarship_context

    request = context["request"]
    return {**scholarship_context(request.user, context["claim"]), "request": request,
            "csrf_token": context.get("csrf_token")}
