"""Notices to employees (in-app, and by email when they have an address), in the reader's language.

A notice is stored as a message key — the English msgid of a ``gettext_lazy``/``pgettext_lazy`` string,
with its context — and its parameters; it is rendered in the reader's language each time it is shown (the
page's language) or emailed (the recipient's preferred language). A parameter that is itself a
translatable string (a choice label such as a clock's name) is stored as its key too, so it follows the
reader's language as well::

    notification_send(recipient=agent, message=gettext_lazy("Complaint %(number)s is overdue."),
                      params={"number": complaint.number}, link=url, key=f"complaint:{pk}:overdue")

With a ``key`` the notice is sent at most once (a unique constraint decides, so two workers racing
cannot both send it). ``text`` keeps the words as first sent, for the admin."""

import re
from contextlib import nullcontext

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

from .models import Notification

TEXT_KEY = "$t"  # a parameter stored as a message key: {"$t": msgid, "$c": context}
CONTEXT_KEY = "$c"


def message_key(message) -> tuple[str, str]:
    """(msgid, context) of a lazy translatable string; a plain string is its own key (never translated)."""
    if isinstance(message, Promise):
        args = getattr(message, "_args", ())
        if len(args) == 1 and isinstance(args[0], str):
            return args[0], ""
        if len(args) == 2 and all(isinstance(a, str) for a in args):
            return args[1], args[0]  # pgettext_lazy(context, message)
    return str(message), ""


def _stored_param(value):
    if isinstance(value, Promise):
        msgid, context = message_key(value)
        return {TEXT_KEY: msgid, CONTEXT_KEY: context} if context else {TEXT_KEY: msgid}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _translate(msgid: str, context: str = "") -> str:
    return pgettext(context, msgid) if context else gettext(msgid)


def _rendered_param(value):
    if isinstance(value, dict) and TEXT_KEY in value:
        return _translate(value[TEXT_KEY], value.get(CONTEXT_KEY, ""))
    return value


def render(msgid: str, context: str, params: dict | None, language: str | None = None) -> str:
    """A message key with its parameters, in ``language`` (default: the active one)."""
    with translation.override(language) if language else nullcontext():
        text = _translate(msgid, context)
        if params:
            text = text % {k: _rendered_param(v) for k, v in params.items()}
        return text


def notice_render(notice: Notification, language: str | None = None) -> str:
    if not notice.msgid:
        return notice.text
    try:
        return render(notice.msgid, notice.msgctxt, notice.params, language)
    except (KeyError, ValueError, TypeError):  # a catalogue that no longer fits the stored parameters
        return notice.text


def recipient_language(recipient) -> str:
    return recipient.language or settings.LANGUAGE_CODE


def notification_send(*, recipient, message, params: dict | None = None, link: str = "",
                      key: str | None = None) -> Notification | None:
    """Send ``message`` (a lazy translatable string with ``%(name)s`` placeholders filled from ``params``)
    to the employee ``recipient``. A second call with the same ``key`` returns ``None``. Email follows
    after commit when the employee has an address."""
    msgid, context = message_key(message)
    stored = {k: _stored_param(v) for k, v in (params or {}).items()}
    text = render(msgid, context, stored, recipient_language(recipient))
    try:
        with transaction.atomic():
            notice = Notification.objects.create(recipient=recipient, text=text[:500], msgid=msgid,
                                                 msgctxt=context, params=stored, link=link, key=key)
    except IntegrityError:
        if key is None:
            raise
        return None
    if recipient.user.email:
        from .tasks import notification_email

        transaction.on_commit(lambda: notification_email.delay(notice.pk))
    return notice


def notification_email_send(*, notification_id: int) -> bool:
    """Email a notice once (the ``emailed`` flag is claimed with a conditional update), in the recipient's
    preferred language."""
    from django.core.mail import send_mail

    claimed = Notification.objects.filter(pk=notification_id, emailed=False).update(emailed=True)
    if not claimed:
        return False
    notice = Notification.objects.select_related("recipient__user").get(pk=notification_id)
    text = notice.render(recipient_language(notice.recipient))
    link = f"{settings.SITE_URL.rstrip('/')}{notice.link}" if notice.link else ""
    send_mail(
        subject=f"[csmgmt] {text[:60]}",
        message=f"{text}\n\n{link}".strip(),
        from_email=None,
        recipient_list=[notice.recipient.user.email],
    )
    return True


def notification_mark_read(*, employee, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notice of ``employee`` read."""
    qs = Notification.objects.filter(recipient=employee, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# --- notices older than the keys: their words matched back to a key and its parameters -----------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(template: str):
    parts, last, names = [], 0, []
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:m.start()]))
        name = m.group(1)
        parts.append(f"(?P<{name}>.+?)" if name not in names else f"(?P={name})")
        names.append(name)
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("^" + "".join(parts) + "$", re.S), template[:_PLACEHOLDER.search(template).start()] if names else template


def legacy_templates(language: str = "zh-hans") -> list:
    """[(compiled pattern, literal prefix, msgid, context)] for every catalogued message with parameters, in
    English and in ``language``: the words of an old notice are matched against them to recover its key."""
    from django.utils.translation import trans_real

    out, seen = [], set()
    for raw, translated in trans_real.translation(language)._catalog.items():
        if not isinstance(raw, str) or "%(" not in raw or len(raw) > 400:
            continue
        context, _sep, msgid = raw.rpartition("\x04")
        for template in (msgid, translated):
            if not isinstance(template, str) or "%(" not in template or (template, msgid, context) in seen:
                continue
            seen.add((template, msgid, context))
            try:
                pattern, prefix = _pattern(template)
            except re.error:
                continue
            literal = len(re.sub(r"%\(\w+\)[sd]", "", template))
            out.append((literal, pattern, prefix, msgid, context))
    # the most specific first: the most literal words ("投诉 %(number)s 可以结案了。" before "投诉 %(number)s")
    out.sort(key=lambda t: (-t[0], -len(t[2])))
    return [t[1:] for t in out]


def legacy_match(text: str, templates) -> tuple[str, str, dict] | None:
    for pattern, prefix, msgid, context in templates:
        if prefix and not text.startswith(prefix):
            continue
        m = pattern.match(text)
        if m:
            return msgid, context, m.groupdict()
    return None
