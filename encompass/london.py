"""The one time zone of the service: school days, deadlines, the record of access and the
statistics are all counted in England and Wales's local time (settings.TIME_ZONE too)."""

from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
