"""`{% decision_panel %}`: the decision part of the claim page (claims/_decision.html includes it), built by
claims.views_decision.decision_context for the user viewing the page."""

from django import template

register = template.Library()


@register.inclusion_tag("claims/_decision_panel.html", takes_context=True)
def decision_panel(context):
    from jamsosdesa.claims.views_decision import decision_context

    request = context["request"]
    return {**decision_context(request.user, context["claim"]), "request": request,
            "csrf_token": context.get("csrf_token")}
