from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from encompass.events import client_ip
from notifications import selectors, services
from notifications.forms import SupportActionForm


def inbox(request):
    if not request.user.is_key_adult:
        raise Http404
    notifications = selectors.notifications_for_key_adult(request.user).order_by("status", "-created_at")
    return render(request, "notifications/inbox.html", {"notifications": notifications})


def detail(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    services.notification_view(notification=notification, user=request.user, ip_address=client_ip(request))
    return _render_detail(request, notification, SupportActionForm())


def _render_detail(request, notification, form, status=200):
    context = {
        "notification": notification,
        "child": notification.child,
        "incident": notification.child.incident,
        "support_actions": notification.support_actions.select_related("created_by"),
        "form": form,
    }
    return render(request, "notifications/detail.html", context, status=status)


@require_POST
def acknowledge(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    services.notification_acknowledge(
        notification=notification, user=request.user, ip_address=client_ip(request)
    )
    messages.success(request, "Notification acknowledged")
    return redirect("notifications:detail", pk=pk)


@require_POST
def support_add(request, pk: int):
    notification = selectors.notification_get_for_key_adult(request.user, pk)
    form = SupportActionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, notification, form, status=400)
    services.support_action_add(notification=notification, user=request.user, **form.cleaned_data)
    messages.success(request, "Support logged")
    return redirect("notifications:detail", pk=pk)
