from django.contrib import admin

from jamsosdesa.core.admin_audit import AuditedAdmin

from .models import ContractBand, Discount, IncomeNominal, PmiPackage, Rate, WageCeiling

DATED = ("valid_from", "valid_until", "regulation")


@admin.register(Rate)
class RateAdmin(AuditedAdmin):
    list_display = ("segment", "programme", "share", "risk_class", "percent", "flat_amount", "wage_capped", *DATED)
    list_filter = ("segment", "programme", "share")


@admin.register(WageCeiling)
class WageCeilingAdmin(AuditedAdmin):
    list_display = ("programme", "amount", *DATED)


@admin.register(ContractBand)
class ContractBandAdmin(AuditedAdmin):
    list_display = ("programme", "lower", "upper", "percent", *DATED)


@admin.register(PmiPackage)
class PmiPackageAdmin(AuditedAdmin):
    list_display = ("contract_months", "before_departure", "during_and_after", "extra_month", *DATED)


@admin.register(IncomeNominal)
class IncomeNominalAdmin(AuditedAdmin):
    list_display = ("amount", *DATED)


@admin.register(Discount)
class DiscountAdmin(AuditedAdmin):
    list_display = ("name", "segment", "programmes", "percent_off", "sectors", "excluded_payers", *DATED)
