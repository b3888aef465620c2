from django.db.models import Count

from notifications.models import Notification


def partnership_counts(partnership) -> dict:
    notifications = Notification.objects.filter(school__local_authority__partnership=partnership)
    by_status = dict(notifications.values_list("status").annotate(n=Count("pk")).order_by())
    return {"notifications": notifications.count(), "by_status": by_status}
