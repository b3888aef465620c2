"""How django-axes names the account a sign-in tried.

two_factor's login form posts `auth-username`, but axes is mostly handed the credentials given
to authenticate(), keyed `username`. Reading only one of them stores every failure without an
account, so the per-account lock-out never counted. E-mail addresses are kept in lower case
(UserManager), so `Ann@…` and `ann@…` count against one account."""


def sign_in_username(request, credentials: dict | None = None) -> str | None:
    if credentials and credentials.get("username"):
        username = credentials["username"]
    else:
        data = getattr(request, "POST", None) or {}
        username = data.get("auth-username") or data.get("username")
    return username.strip().lower() if isinstance(username, str) and username.strip() else None
