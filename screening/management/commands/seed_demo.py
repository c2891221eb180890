"""seed_demo — demo users, reference ranges and 12 realistic candidates (development only)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from screening import roles
from screening.models import Candidate, ReferenceRange
from screening.services.candidates import save_candidate

SHANGHAI = ZoneInfo("Asia/Shanghai")

REFERENCE_RANGES = [
    ("bilirubin", "umol/L", "21"),
    ("bilirubin", "mg/dL", "1.2"),
    ("alt", "U/L", "40"),
    ("alt", "IU/L", "40"),
    ("ast", "U/L", "40"),
    ("ast", "IU/L", "40"),
]
# The laboratory's creatinine limits differ by sex (female ~84 µmol/L, male ~104 µmol/L): one row per sex.
SEX_REFERENCE_RANGES = [
    ("creatinine", "umol/L", "female", "84"),
    ("creatinine", "umol/L", "male", "104"),
    ("creatinine", "mg/dL", "female", "0.95"),
    ("creatinine", "mg/dL", "male", "1.18"),
]


def demo_candidates(today):
    """Twelve candidates relative to ``today``, so the lab and pregnancy windows hold on any day."""
    screening = today - timedelta(days=2)
    first_dose = datetime.combine(today + timedelta(days=5), time(9, 0), SHANGHAI)
    collected = (screening - timedelta(days=3)).isoformat()
    imaged_on = (screening - timedelta(days=4)).isoformat()

    def labs(**overrides):
        values = {
            "anc": ("2.4", "10*9/L", None),
            "platelets": ("186", "10*9/L", None),
            "haemoglobin": ("112", "g/L", None),
            "bilirubin": ("12", "umol/L", "21"),
            "alt": ("32", "U/L", "40"),
            "ast": ("35", "U/L", "40"),
            "creatinine": ("74", "umol/L", "104"),
        }
        values.update(overrides)
        return [
            {"test": test, "value": value, "unit": unit, "uln": uln, "collected": collected}
            for test, (value, unit, uln) in ((t, v) for t, v in values.items() if v is not None)
        ]

    def candidate(number, initials, born, sex, **overrides):
        record = {
            "screening_number": f"NLX-S-{number:03d}",
            "initials": initials,
            "screening_date": screening.isoformat(),
            "planned_first_dose": first_dose.isoformat(),
            "date_of_birth": born,
            "sex": sex,
            "weight_kg": "62.5" if sex == "female" else "71.0",
            "consent_signed_on": (screening - timedelta(days=1)).isoformat(),
            "diagnosis": {"type": "NEC", "confirmation": "histological", "primary_site": "pancreas",
                          "metastatic": True, "ne_component_percent": None},
            "prior_systemic_lines": 1,
            "prior_line_failed": True,
            "ecog": 1,
            "life_expectancy_months": 9,
            "liver_metastases": True,
            "lesions": [{"site": "liver segment VII", "kind": "non_nodal", "method": "CT", "size_mm": "34",
                         "slice_thickness_mm": "5", "imaged_on": imaged_on, "locally_treated": False,
                         "progressed_after_local_treatment": None}],
            "transfusion_or_growth_factor": {"any": False},
            "labs": labs(),
            "childbearing_potential": False if sex == "female" else None,
            "partner_childbearing_potential": False if sex == "male" else None,
            "contraception_agreed": None,
            "pregnancy_tests": [],
        }
        record.update(overrides)
        return record

    negative_serum = [{"specimen": "serum", "result": "negative",
                       "collected": (first_dose - timedelta(hours=30)).isoformat()}]
    return [
        candidate(1, "WXL", "1961-05-14", "male"),
        candidate(2, "CYF", "1979-11-02", "female", childbearing_potential=True, contraception_agreed=True,
                  pregnancy_tests=negative_serum,
                  diagnosis={"type": "MINEN", "confirmation": "histological", "primary_site": "colon",
                             "metastatic": True, "ne_component_percent": 60}),
        candidate(3, "LHM", "1955-08-21", "male", labs=labs(alt=("150", "U/L", "40")), liver_metastases=False,
                  diagnosis={"type": "NET_G3", "confirmation": "cytological", "primary_site": "stomach",
                             "metastatic": True, "ne_component_percent": None}),
        candidate(4, "ZQ", "1968-02-29", "male", labs=labs(platelets=("95", "10*9/L", None))),
        candidate(5, "HJY", "1956-01-09", "female", ecog=2),
        candidate(6, "SBW", "1972-07-30", "male", prior_systemic_lines=2),
        candidate(7, "MXR", "1965-04-18", "male",
                  diagnosis={"type": "NEC", "confirmation": "histological", "primary_site": "lung",
                             "metastatic": True, "ne_component_percent": None}),
        candidate(8, "GLP", "1988-12-12", "female", childbearing_potential=True, contraception_agreed=True,
                  pregnancy_tests=[]),
        candidate(9, "TWD", "1958-06-06", "male", labs=labs(creatinine=None, bilirubin=None)),
        candidate(10, "YKS", "1954-10-10", "male",
                  labs=labs(creatinine=("1.9", "mg/dL", "1.18")), weight_kg="58"),
        candidate(11, "FNA", "1976-03-03", "female",
                  lesions=[{"site": "para-aortic node", "kind": "nodal", "method": "CT", "size_mm": "12",
                            "slice_thickness_mm": "5", "imaged_on": imaged_on, "locally_treated": False,
                            "progressed_after_local_treatment": None}]),
        candidate(12, "QZH", "1963-09-25", "male", partner_childbearing_potential=True,
                  contraception_agreed=True,
                  labs=labs(anc=("1800", "/uL", None), haemoglobin=("96", "g/L", None))),
    ]


class Command(BaseCommand):
    help = "Create demo users (coordinator, investigator, monitor, admin) and 12 demo candidates. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="nalirifox-demo", help="password for every demo user")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates users with a known password: refused with DEBUG off (use --force).")
        with transaction.atomic():
            self.seed_users(password)
            for test, unit, uln in REFERENCE_RANGES:
                ReferenceRange.objects.get_or_create(test=test, unit=unit, sex="", defaults={"uln": uln})
            for test, unit, sex, uln in SEX_REFERENCE_RANGES:
                ReferenceRange.objects.get_or_create(test=test, unit=unit, sex=sex, defaults={"uln": uln})
            created = 0
            for record in demo_candidates(timezone.localdate()):
                if not Candidate.objects.filter(screening_number=record["screening_number"]).exists():
                    save_candidate(record=record)
                    created += 1
        self.stdout.write(f"Demo data ready: {created} candidates created, users: {', '.join(roles.ROLES)}.")

    def seed_users(self, password):
        User = get_user_model()
        for name in roles.ROLES:
            group, _ = Group.objects.get_or_create(name=name)
            user, _ = User.objects.get_or_create(username=name)
            user.is_superuser = user.is_staff = name == roles.ADMIN
            user.set_password(password)
            user.save()
            user.groups.add(group)
