"""Which column of a file feeds which participant field, for our template, OpenSID and saved mappings."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.sheets import normalize_header

# Our template, in order: header name -> field.
TEMPLATE_COLUMNS = {
    "nik": "nik", "nama": "full_name", "tempat_lahir": "birth_place", "tanggal_lahir": "birth_date",
    "jenis_kelamin": "sex", "kode_desa": "desa", "alamat": "address", "rt": "rt", "rw": "rw", "no_hp": "phone",
    "kode_pekerjaan": "occupation", "segmen": "segment", "peran": "village_role", "penghasilan": "declared_income",
    "no_kk": "kk", "kpj": "kpj", "sektor": "sector", "kode_sosialisasi": "outreach_code",
}
# Other spellings people use for the same columns.
ALIASES = {
    "no_nik": "nik", "nomor_nik": "nik", "nama_lengkap": "full_name", "tempatlahir": "birth_place",
    "tanggallahir": "birth_date", "tgl_lahir": "birth_date", "sex": "sex", "jk": "sex", "l/p": "sex",
    "telepon": "phone", "hp": "phone", "no_telp": "phone", "nomor_hp": "phone", "pekerjaan": "occupation",
    "pekerjaan_id": "occupation", "peran_desa": "village_role", "nomor_kk": "kk", "no_kpj": "kpj",
    "status_dasar": "died", "dusun": "dusun", "sektor_pekerjaan": "sector",
    "kode_kegiatan": "outreach_code", "sosialisasi": "outreach_code",
}
REQUIRED = ("nik", "full_name", "birth_date")
# Columns our own error report adds in front of the original ones: ignored when it is uploaded again (the report is
# written in its user's language: these are its headers in Indonesian and in English).
REPORT_COLUMNS = {"baris", "status", "keterangan", "row", "notes"}
# OpenSID's resident export: 43 named columns; the ones we do not use are ignored without a word.
OPENSID_MARKERS = {"tanggallahir", "status_dasar", "pekerjaan_id", "tempatlahir", "kk_level"}
OPENSID_IGNORED = {
    "alamat_sebelumnya", "alamat_sekarang", "id_cluster", "agama_id", "pendidikan_kk_id", "pendidikan_sedang_id",
    "warganegara_id", "ayah_nik", "nama_ayah", "ibu_nik", "nama_ibu", "golongan_darah_id", "status_kawin",
    "kk_level", "no_kk_sebelumnya", "akta_lahir", "akta_perkawinan", "tanggalperkawinan", "akta_perceraian",
    "tanggalperceraian", "cacat_id", "cara_kb_id", "hamil", "ktp_el", "status_rekam", "alamat", "tag_id_card",
    "id_asuransi", "no_asuransi", "email", "telegram", "suku", "dokumen_pasport", "dokumen_kitas",
    "tanggal_akhir_paspor", "lat", "lng", "bpjs_ketenagakerjaan", "nama_lokasi", "sakit_menahun_id", "id_kk",
    "waktu_lahir", "tempat_dilahirkan", "jenis_kelahiran", "kelahiran_anak_ke", "penolong_kelahiran",
    "berat_lahir", "panjang_lahir", "status", "created_at", "updated_at", "foto", "id",
}
# Lazy: each message, report line and mapping form names the field in the language at hand (the report: its user's).
FIELD_LABELS = {
    "nik": "NIK", "full_name": gettext_lazy("nama"), "birth_place": gettext_lazy("tempat lahir"),
    "birth_date": gettext_lazy("tanggal lahir"), "sex": gettext_lazy("jenis kelamin"),
    "desa": gettext_lazy("kode desa"), "address": gettext_lazy("alamat"), "rt": "RT", "rw": "RW",
    "phone": gettext_lazy("nomor HP"),
    "occupation": gettext_lazy("pekerjaan"), "segment": gettext_lazy("segmen"), "village_role": gettext_lazy("peran"),
    "declared_income": gettext_lazy("penghasilan"), "kk": gettext_lazy("nomor KK"), "kpj": "KPJ",
    "died": gettext_lazy("status dasar"), "dusun": gettext_lazy("dusun"), "sector": gettext_lazy("sektor"),
    "sector_source": gettext_lazy("sumber sektor"), "outreach_code": gettext_lazy("kode sosialisasi"),
}
IMPORTABLE_FIELDS = tuple(dict.fromkeys([*TEMPLATE_COLUMNS.values(), "died", "dusun"]))


class ColumnProblem(Exception):
    pass


@dataclass
class Layout:
    format: str  # template / opensid / csv / mapping
    positions: dict[str, int]  # field -> column index
    unknown: list[str] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        return set(self.positions)


def looks_like_header(cells) -> bool:
    names = {normalize_header(c) for c in cells if isinstance(c, str)}
    return bool(names & ({*TEMPLATE_COLUMNS, *ALIASES} | OPENSID_MARKERS))


def detect_format(header: list[str]) -> str:
    names = {normalize_header(h) for h in header}
    return "opensid" if names & OPENSID_MARKERS else "template"


def layout_for(header: list[str], *, fmt: str = "auto", mapping: dict[str, str] | None = None) -> Layout:
    """Map the header to fields. `mapping` is a saved mapping {field: column name in the file}."""
    names = [normalize_header(h) for h in header]
    if mapping:
        positions, missing = {}, []
        for fld, column in mapping.items():
            col = normalize_header(column)
            if col in names:
                positions[fld] = names.index(col)
            elif column:
                missing.append(column)
        if missing:
            raise ColumnProblem(_("Kolom dari pemetaan tidak ada di berkas: %(c)s.") % {"c": ", ".join(missing)})
        layout = Layout("mapping", positions)
    else:
        if fmt == "auto":
            fmt = detect_format(header)
        positions, unknown = {}, []
        for index, name in enumerate(names):
            if not name:
                continue
            if fmt == "opensid" and name == "alamat":
                fld = "address"
            else:
                fld = TEMPLATE_COLUMNS.get(name) or ALIASES.get(name)
            if fld and fld not in positions:
                positions[fld] = index
            elif not fld and name not in REPORT_COLUMNS and not (fmt == "opensid" and name in OPENSID_IGNORED):
                unknown.append(str(header[index]).strip())
        layout = Layout("opensid" if fmt == "opensid" else ("csv" if fmt == "csv" else "template"), positions, unknown)
    missing = [f for f in REQUIRED if f not in layout.positions]
    if missing:
        raise ColumnProblem(_("Kolom wajib tidak ada: %(c)s. Kolom yang ada: %(h)s.") % {
            "c": ", ".join(str(FIELD_LABELS[f]) for f in missing),
            "h": ", ".join(str(h) for h in header if str(h).strip()) or "-"})
    return layout
