from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from encompass.events import client_ip
from notifications import selectors, services
from notifications.forms import ExportForm, InboxSearchForm, RejectForm, SupportActionForm
from notifications.transfers import transfer_history

# The inbox's school and name search live in the session, never in the URL: a name in a
# query string would end up in server logs and browser history.
SCHOOL_KEY = "inbox_school"
SEARCH_KEY = "inbox_search"
PAGE_SIZE = 25
FILTER_LABELS = {"all": "All", "new": "New", "acknowledged": "Acknowledged", "withdrawn": "Withdrawn"}


def _current_school(request, schools=None):
    schools = schools if schools is not None else selectors.schools_of_key_adult(request.user)
    return selectors.school_pick(schools, request.session.get(SCHOOL_KEY))


@require_GET
def inbox(request):
    schools = selectors.schools_of_key_adult(request.user)
    school = _current_school(request, schools)
    status = request.GET.get("status", "all")
    status = status if status in selectors.INBOX_FILTERS else "all"
    search = request.session.get(SEARCH_KEY, "")
    notifications = selectors.inbox_notifications(school=school, status=status, search=search)
    counts = selectors.inbox_counts(school=school)
    context = {
        "school": school,
        "schools": schools,
        "status": status,
        "status_label": FILTER_LABELS[status],
        "filters": [(name, label, counts[name]) for name, label in FILTER_LABELS.items()],
        "counts": counts,
        "now": timezone.now(),
        "search": search,
        "search_form": InboxSearchForm(initial={"name": search}),
    }
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"page": page, "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2)}
    return render(request, "notifications/inbox.html", context)


@require_POST
def inbox_search(request):
    _current_school(request)
    form = InboxSearchForm(request.POST)
    search = form.cleaned_data["name"] if form.is_valid() and "clear" not in request.POST else ""
    request.session[SEARCH_KEY] = search
    return redirect("notifications:inbox")


@require_POST
def school_switch(request):
    schools = selectors.schools_of_key_adult(request.user)
    request.session[SCHOOL_KEY] = selectors.school_pick(schools, _int(request.POST.get("school"))).pk
    request.session[SEARCH_KEY] = ""
    return redirect("notifications:inbox")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


@require_GET
def detail(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    services.notification_view(notification=notification, user=request.user, ip_address=client_ip(request))
    return _render_detail(request, notification, _support_form())


def _support_form(data=None):
    return SupportActionForm(data, initial={"given_on": timezone.localdate().strftime("%d/%m/%Y")})


def _render_detail(request, notification, form, status=200):
    context = {
        "notification": notification,
        "school": notification.school,
        "fields": selectors.notification_shared_fields(notification),
        "viewers": selectors.notification_viewers(notification),
        "chronology": selectors.notification_chronology(notification),
        "history": transfer_history(notification),
        "siblings": selectors.notification_siblings(notification),
        "support_log": selectors.support_log(notification),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "notifications/detail.html", context, status=status)


@require_POST
def acknowledge(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    notification = services.notification_acknowledge(
        notification=notification, user=request.user, ip_address=client_ip(request)
    )
    if request.htmx:
        return render(
            request,
            "notifications/_acknowledgement.html",
            {"notification": notification, "just_done": True, "now": timezone.now()},
        )
    messages.success(request, "Notification acknowledged")
    return redirect("notifications:detail", pk=pk)


@require_POST
def support_add(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    form = _support_form(request.POST)
    if form.is_valid():
        try:
            services.support_action_add(notification=notification, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        return _render_support(request, notification, form)
    if form.errors:
        return _render_detail(request, notification, form, status=400)
    messages.success(request, "Support logged")
    return redirect("notifications:detail", pk=pk)


def _render_support(request, notification, form):
    context = {
        "notification": notification,
        "support_log": selectors.support_log(notification),
        "form": _support_form() if not form.errors else form,
        "just_logged": not form.errors,
    }
    return render(request, "notifications/_support.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def support_correct(request, pk: int, action_pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    original = selectors.support_action_get(notification, action_pk)
    form = SupportActionForm(
        _posted(request),
        initial={
            "given_on": original.given_on.strftime("%d/%m/%Y"),
            "kind": original.kind,
            "note": original.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.support_action_add(
                notification=notification, user=request.user, corrects=original, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Support entry corrected. The original is kept in its history.")
            return redirect("notifications:detail", pk=pk)
    context = {"notification": notification, "original": original, "form": form}
    return render(request, "notifications/support_correct.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def reject(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    form = RejectForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_reject(
                notification=notification,
                user=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Notification returned to the police. Your school no longer has access to it."
            )
            return redirect("notifications:inbox")
    context = {"notification": notification, "form": form}
    return render(request, "notifications/reject.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def export(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    form = ExportForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        file = services.notification_export(
            notification=notification,
            user=request.user,
            fmt=form.cleaned_data["fmt"],
            ip_address=client_ip(request),
        )
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
    context = {"notification": notification, "form": form}
    return render(request, "notifications/export.html", context, status=400 if form.errors else 200)
