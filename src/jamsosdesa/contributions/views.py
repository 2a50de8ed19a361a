from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jamsosdesa.core import clock
from jamsosdesa.core.errors import put_on_form

from .book import rate_book
from .calculator import QuoteError, budget
from .forms import QuoteForm


@login_required
def quote_page(request):
    """'Simulasi iuran': anyone logged in; the result updates as the form changes (HTMX) and the plain form
    works without JavaScript."""
    data = request.GET if "segment" in request.GET else None
    form = QuoteForm(data, initial={"month": clock.this_month()})
    result = None
    book = rate_book()
    if form.is_bound and form.is_valid():
        people, months = form.counts()
        try:
            result = budget(book, form.request(), people=people, months=months)
        except QuoteError as exc:
            put_on_form(form, exc.fields)
    month = clock.this_month()
    context = {"form": form, "result": result, "nominals": sorted(book.allowed_nominals(month))}
    template = "contributions/_result.html" if request.headers.get("HX-Request") else "contributions/quote.html"
    return render(request, template, context)
