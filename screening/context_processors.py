from django.conf import settings

from screening import protocols, roles, session_timeout, vocabulary


def screening(request):
    user_roles = roles.roles_of(request.user)
    return {
        "protocol_version": protocols.in_force().version,  # in force today (site time zone)
        "user_roles": user_roles,
        "user_role_names": [vocabulary.ROLE[role] for role in roles.ROLES if role in user_roles],
        "can_edit": bool(user_roles & set(roles.EDITORS)),
        "can_sign": bool(user_roles & set(roles.SIGNERS)),
        "can_audit": bool(user_roles & set(roles.AUDITORS)),
        "can_export": bool(user_roles & set(roles.EXPORTERS)),
        "may_take_pdf": bool(user_roles & set(roles.IDENTIFIED_FILES)),  # the checklist PDF is identified
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,  # static/js/session.js warns before it ends
        "draft_saved": session_timeout.pop_draft_saved(request),
    }
