from django.contrib import admin

from .models import ContractBand, Discount, IncomeNominal, PmiPackage, Rate, WageCeiling

DATED = ("valid_from", "valid_until", "regulation")


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ("segment", "programme", "share", "risk_class", "percent", "flat_amount", "wage_capped", *DATED)
    list_filter = ("segment", "programme", "share")


@admin.register(WageCeiling)
class WageCeilingAdmin(admin.ModelAdmin):
    list_display = ("programme", "amount", *DATED)


@admin.register(ContractBand)
class ContractBandAdmin(admin.ModelAdmin):
    list_display = ("programme", "lower", "upper", "percent", *DATED)


@admin.register(PmiPackage)
class PmiPackageAdmin(admin.ModelAdmin):
    list_display = ("contract_months", "before_departure", "during_and_after", "extra_month", *DATED)


@admin.register(IncomeNominal)
class IncomeNominalAdmin(admin.ModelAdmin):
    list_display = ("amount", *DATED)


@admin.register(Discount)
class DiscountAdmin(admin.ModelAdmin):
    list_display = ("name", "segment", "programmes", "percent_off", "sectors", "excluded_payers", *DATED)
