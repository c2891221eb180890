from screening import roles, vocabulary
from screening.eligibility import PROTOCOL_VERSION


def screening(request):
    user_roles = roles.roles_of(request.user)
    return {
        "protocol_version": PROTOCOL_VERSION,
        "user_roles": user_roles,
        "user_role_names": [vocabulary.ROLE[role] for role in roles.ROLES if role in user_roles],
        "can_edit": bool(user_roles & set(roles.EDITORS)),
        "can_sign": bool(user_roles & set(roles.SIGNERS)),
        "can_audit": bool(user_roles & set(roles.AUDITORS)),
        "can_export": bool(user_roles & set(roles.EXPORTERS)),
    }
