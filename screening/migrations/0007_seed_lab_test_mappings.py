"""Seed the LIS mapping table with the names of lab-import.md (administrators edit it afterwards)."""

from django.db import migrations
from django.utils import timezone

from screening.labimport.headers import header_key

SEED = [
    # (LIS code or name, kind, test, specimen)
    ("中性粒细胞绝对值", "lab", "anc", ""), ("NEUT#", "lab", "anc", ""),
    ("血小板计数", "lab", "platelets", ""), ("PLT", "lab", "platelets", ""),
    ("血红蛋白", "lab", "haemoglobin", ""), ("HGB", "lab", "haemoglobin", ""), ("Hb", "lab", "haemoglobin", ""),
    ("总胆红素", "lab", "bilirubin", ""), ("TBIL", "lab", "bilirubin", ""),
    ("丙氨酸氨基转移酶", "lab", "alt", ""), ("谷丙转氨酶", "lab", "alt", ""), ("ALT", "lab", "alt", ""),
    ("天门冬氨酸氨基转移酶", "lab", "ast", ""), ("谷草转氨酶", "lab", "ast", ""), ("AST", "lab", "ast", ""),
    ("肌酐", "lab", "creatinine", ""), ("CREA", "lab", "creatinine", ""), ("Cr", "lab", "creatinine", ""),
    ("β-HCG", "pregnancy_test", "", "serum"), ("人绒毛膜促性腺激素", "pregnancy_test", "", "serum"),
    ("尿妊娠试验", "pregnancy_test", "", "urine"),
    ("中性粒细胞百分比", "percentage", "", ""), ("NEUT%", "percentage", "", ""),
]


def seed(apps, schema_editor):
    mapping = apps.get_model("screening", "LabTestMapping")
    history = apps.get_model("screening", "HistoricalLabTestMapping")
    for name, kind, test, specimen in SEED:
        row, created = mapping.objects.get_or_create(
            key=header_key(name), defaults={"lis_name": name, "kind": kind, "test": test, "specimen": specimen}
        )
        if created:  # historical models have no simple-history signals: record the seed by hand
            history.objects.create(
                id=row.id, lis_name=name, key=row.key, kind=kind, test=test, specimen=specimen,
                history_date=timezone.now(), history_type="+", history_change_reason="Seeded from lab-import.md",
            )


def unseed(apps, schema_editor):
    apps.get_model("screening", "LabTestMapping").objects.filter(
        key__in=[header_key(name) for name, *_ in SEED]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0006_lab_import")]
    operations = [migrations.RunPython(seed, unseed)]
