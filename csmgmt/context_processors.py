from functools import cached_property

from django.urls import NoReverseMatch, reverse

from .registry import nav_for


class NavContext:
    """Built lazily: an htmx fragment that never shows the navigation costs no query."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def employee(self):
        return getattr(self.user, "employee", None)

    @cached_property
    def sections(self):
        sections = {}
        for section, items in nav_for(self.user).items():
            entries = []
            for item in items:
                try:
                    url = reverse(item.url_name)
                except NoReverseMatch:
                    continue
                entries.append({
                    "url": url,
                    "label": item.label,
                    "icon": item.icon,
                    "badge": item.badge(self.user) if item.badge else None,
                    "badge_class": item.badge_class,
                    "active": self.request.path.startswith(url),
                })
            sections[section] = entries
        return sections

    @cached_property
    def unread(self):
        from staff.models import Notification

        if self.employee is None:
            return 0
        return Notification.objects.filter(recipient=self.employee, read_at__isnull=True).count()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"navctx": NavContext(request)}
