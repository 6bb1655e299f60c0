"""The dashboard's words in Bahasa Indonesia first, and in English.

One table of keys, each with both languages side by side, so a missing translation shows up in
review (and in the unit test that checks every key has both). Placeholders use ``str.format``
names. Domain refusals are worded by ``apps.messages`` (one catalogue for every entry point).
"""

from __future__ import annotations

LANGUAGES = ("id", "en")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    # -- shell ------------------------------------------------------------------------------
    "language": ("Bahasa", "Language"),
    "quarter": ("Triwulan", "Quarter"),
    "data_as_of": (
        "Data per {as_of} · diterbitkan {published} · posisi peristiwa {position}",
        "Data as of {as_of} · published {published} · event position {position}",
    ),
    "no_warehouse": (
        "Gudang data belum tersedia: jalankan `monev refresh`.",
        "The data warehouse is not available yet: run `monev refresh`.",
    ),
    "warehouse_unreadable": (
        "Gudang data tidak dapat dibaca ({error}). Coba muat ulang halaman sebentar lagi.",
        "The data warehouse cannot be read ({error}). Reload the page in a moment.",
    ),
    "no_quarters": (
        "Gudang data belum berisi triwulan apa pun: catat evaluasi lalu jalankan `monev refresh`.",
        "The warehouse holds no quarter yet: record evaluations, then run `monev refresh`.",
    ),
    "no_rows": ("Tidak ada data untuk pilihan ini.", "No data for this selection."),
    "signed_in_as": (
        "Masuk sebagai **{name}** ({role}{opd})",
        "Signed in as **{name}** ({role}{opd})",
    ),
    "reading_anonymously": (
        "Membaca tanpa masuk (hanya baca).",
        "Reading without signing in (read only).",
    ),
    "not_signed_in": ("Belum masuk.", "Not signed in."),
    "sign_in_for_page": (
        "Masuk untuk membuka halaman **{page}**; sesudah masuk, halaman itu langsung terbuka.",
        "Sign in to open the page **{page}**; it opens as soon as you are signed in.",
    ),
    "page_not_for_role": (
        "Halaman {page} hanya untuk staf Bagian Perekonomian (admin) dan staf OPD.",
        "The page {page} is for division staff (admin) and agency staff only.",
    ),
    "sign_out": ("Keluar", "Sign out"),
    "oidc_unknown": (
        "Akun {email} belum terdaftar di monev. Minta admin menjalankan "
        "`monev user add {email} --role viewer --no-password`.",
        "The account {email} is not registered in monev. Ask an admin to run "
        "`monev user add {email} --role viewer --no-password`.",
    ),
    "oidc_unverified": (
        "Alamat {email} belum diverifikasi oleh penyedia identitas, jadi tidak dipakai untuk "
        "masuk.",
        "The address {email} is not verified by the identity provider, so it does not sign you in.",
    ),
    "role_admin": ("admin", "admin"),
    "role_opd": ("OPD", "agency"),
    "role_viewer": ("pembaca", "viewer"),
    # -- page titles ------------------------------------------------------------------------
    "page_ringkasan": ("Ringkasan", "Overview"),
    "page_disparitas": ("Disparitas wilayah", "Regional disparity"),
    "page_kinerja_opd": ("Kinerja OPD", "Agency performance"),
    "page_rekomendasi": ("Rekomendasi & tindak lanjut", "Recommendations & follow-up"),
    "page_satrya_emas": ("Satrya Emas", "Satrya Emas"),
    "page_sinergi": ("Sinergi", "Synergy"),
    "page_input": ("Input", "Data entry"),
    "page_unduh": ("Unduh", "Downloads"),
    "page_masuk": ("Masuk", "Sign in"),
    "section_reports": ("Laporan", "Reports"),
    "section_work": ("Kerja", "Work"),
    "section_account": ("Akun", "Account"),
    # -- sign-in ----------------------------------------------------------------------------
    "sign_in_intro": (
        "Masuk untuk mencatat data. Pengguna dan kata sandinya diatur dengan "
        "`monev user add NAMA --role admin|opd|viewer`; tidak ada kata sandi bawaan.",
        "Sign in to record data. Users and their passwords are set with "
        "`monev user add NAME --role admin|opd|viewer`; no password is shipped.",
    ),
    "sign_in_required": (
        "Dasbor ini hanya untuk pengguna terdaftar: silakan masuk.",
        "This dashboard is for registered users only: please sign in.",
    ),
    "user_name": ("Nama pengguna", "User name"),
    "password": ("Kata sandi", "Password"),
    "sign_in": ("Masuk", "Sign in"),
    "sign_in_sso": ("Masuk dengan akun instansi (SSO)", "Sign in with your organisation (SSO)"),
    "sign_in_failed": (
        "Nama pengguna atau kata sandi salah.",
        "Wrong user name or password.",
    ),
    "sign_in_throttled": (
        "Terlalu banyak percobaan masuk yang gagal (5 dalam satu menit) untuk pengguna ini atau "
        "dari alamat ini. Tunggu satu menit, lalu coba lagi.",
        "Too many failed sign-ins (5 within a minute) for this user or from this address. "
        "Wait a minute, then try again.",
    ),
    "sign_in_throttle_note": (
        "Setelah 5 kali gagal dalam satu menit, percobaan masuk ditahan selama satu menit.",
        "After 5 failed attempts within a minute, signing in is paused for a minute.",
    ),
    "sign_in_expired_form": (
        "Formulir ini sudah kedaluwarsa; isi sekali lagi.",
        "This form has expired; please fill it in once more.",
    ),
    "sign_in_open": ("Masuk", "Sign in"),
    "session_note": (
        "Sesi tetap aktif saat halaman dimuat ulang atau dibuka di tab baru, dan berakhir setelah "
        "30 menit tanpa aktivitas atau saat Anda keluar.",
        "Your session survives a reload or a new tab, and ends after 30 minutes without use "
        "or when you sign out.",
    ),
    "public_read_on": (
        "Demo lokal: siapa pun yang dapat membuka alamat ini dapat membaca semua laporan tanpa "
        "masuk (MONEV_DASHBOARD_PUBLIC_READ=1).",
        "Local demo: anyone who can open this address reads every report without signing in "
        "(MONEV_DASHBOARD_PUBLIC_READ=1).",
    ),
    "no_users_yet": (
        "Belum ada pengguna dengan kata sandi. Buat admin pertama dengan "
        "`monev user add admin --role admin` (kata sandi diminta, hanya hash-nya yang disimpan).",
        "No user has a password yet. Create the first admin with "
        "`monev user add admin --role admin` (it asks for the password and stores only its hash).",
    ),
    # -- overview ---------------------------------------------------------------------------
    "ringkasan_intro": (
        "Kinerja {quarter} dibandingkan {previous}.",
        "Performance in {quarter} against {previous}.",
    ),
    "ringkasan_intro_first": (
        "Kinerja {quarter}: triwulan pertama yang tercatat, jadi belum ada pembanding.",
        "Performance in {quarter}: the first quarter on record, so nothing to compare with.",
    ),
    "kpi_budget": ("Pagu anggaran", "Budget (pagu)"),
    "kpi_realisation": ("Realisasi keuangan", "Financial realisation"),
    "kpi_absorption": ("Serapan anggaran", "Budget absorption"),
    "kpi_physical": ("Realisasi fisik rata-rata", "Average physical realisation"),
    "kpi_achievement": ("Capaian rata-rata", "Average achievement"),
    "kpi_activities": ("Kegiatan", "Activities"),
    "kpi_compliance": ("Kepatuhan pelaporan", "Reporting compliance"),
    "kpi_recs_open": ("Rekomendasi terbuka", "Open recommendations"),
    "kpi_recs_overdue": ("Rekomendasi lewat tenggat", "Overdue recommendations"),
    "bands_title": (
        "Kegiatan per kategori capaian (Permendagri 86/2017)",
        "Activities per achievement band (Permendagri 86/2017)",
    ),
    "band": ("Kategori", "Band"),
    "count": ("Jumlah", "Count"),
    "band_chart_title": ("Sebaran kategori capaian", "Achievement bands"),
    "vs_previous": ("dibanding {previous}", "against {previous}"),
    # -- disparity --------------------------------------------------------------------------
    "disparitas_intro": (
        "Wilayah timur ({east}) dibandingkan wilayah lainnya. Pengelompokan wilayah timur adalah "
        "bawaan yang dapat diubah (seed dbt), bukan daftar resmi.",
        "The eastern region ({east}) against the rest. The eastern grouping is an editable "
        "default (a dbt seed), not an official list.",
    ),
    "region": ("Wilayah", "Region"),
    "east": ("Timur", "East"),
    "rest": ("Lainnya", "Rest"),
    "east_vs_rest_chart": ("Timur vs lainnya per triwulan", "East vs rest per quarter"),
    "indices_chart": ("Indeks Williamson dan Theil", "Williamson and Theil indices"),
    "between_share": ("Porsi Theil antar-kelompok", "Between-group share of Theil"),
    "williamson": ("Indeks Williamson", "Williamson index"),
    "theil": ("Indeks Theil", "Theil index"),
    "theil_between": (
        "Theil antar-kelompok (timur vs lainnya)",
        "Theil between groups (east vs rest)",
    ),
    "index": ("Indeks", "Index"),
    "no_population": (
        "Indeks Williamson dan Theil memerlukan jumlah penduduk per kecamatan (seed dbt "
        "`kecamatan_population`); gudang data belum memuatnya.",
        "The Williamson and Theil indices need each kecamatan's population (the dbt seed "
        "`kecamatan_population`); the warehouse has none yet.",
    ),
    "demo_population": (
        "Penduduk yang dipakai adalah angka ilustrasi demo, bukan data resmi.",
        "The population used is an illustrative demo figure, not official data.",
    ),
    "value": ("Nilai", "Value"),
    "measure": ("Ukuran", "Measure"),
    "kecamatan_table": ("Kecamatan {quarter}", "Kecamatan, {quarter}"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "population": ("Penduduk", "Population"),
    "per_capita": ("Pagu per kapita", "Budget per capita"),
    "mentors": ("Pendamping", "Mentors"),
    "umkm_assisted": ("UMKM didampingi", "UMKM assisted"),
    # -- OPD --------------------------------------------------------------------------------
    "league_title": ("Peringkat OPD {quarter}", "Agency league table, {quarter}"),
    "opd": ("OPD", "Agency"),
    "opd_name": ("Nama OPD", "Agency name"),
    "rank": ("Peringkat", "Rank"),
    "best_opd": ("Capaian tertinggi: {opd}", "Highest achievement: {opd}"),
    "activities": ("Kegiatan", "Activities"),
    "budget": ("Pagu", "Budget"),
    "realisation": ("Realisasi", "Realisation"),
    "absorption": ("Serapan", "Absorption"),
    "physical": ("Fisik", "Physical"),
    "achievement": ("Capaian", "Achievement"),
    "compliance": ("Kepatuhan lapor", "Reporting compliance"),
    "evaluations": ("Evaluasi masuk/wajib", "Evaluations in/expected"),
    "recs_open": ("Rek. terbuka", "Recs open"),
    "recs_done": ("Rek. selesai", "Recs done"),
    "recs_overdue": ("Rek. lewat tenggat", "Recs overdue"),
    "choose_opd": ("Pilih OPD", "Choose an agency"),
    "choose_activity": ("Pilih kegiatan", "Choose an activity"),
    "search_activity": ("Cari kegiatan", "Find an activity"),
    "search_activity_hint": ("kode atau nama kegiatan", "activity code or name"),
    "table_page": ("Halaman tabel", "Table page"),
    "page_of": ("{page} dari {pages}", "{page} of {pages}"),
    "rows_shown": (
        "Kegiatan {first}–{last} dari {total}.",
        "Activities {first}–{last} of {total}.",
    ),
    "no_activity_matches": (
        'Tidak ada kegiatan OPD ini yang kode atau namanya memuat "{search}".',
        'No activity of this agency has "{search}" in its code or name.',
    ),
    "activities_of": ("Kegiatan {opd} pada {quarter}", "Activities of {opd} in {quarter}"),
    "activity": ("Kegiatan", "Activity"),
    "activity_code": ("Kode kegiatan", "Activity code"),
    "target": ("Target", "Target"),
    "actual": ("Realisasi indikator", "Indicator actual"),
    "indicator": ("Indikator", "Indicator"),
    "merged_into": ("Digabung ke", "Merged into"),
    "history_title": ("Riwayat peristiwa {activity}", "Event history of {activity}"),
    "history_intro": (
        "Setiap perubahan tersimpan sebagai peristiwa: siapa mencatat apa, kapan, dan alasannya.",
        "Every change is stored as an event: who recorded what, when, and why.",
    ),
    "position": ("Posisi", "Position"),
    "recorded_at": ("Waktu (WIB)", "Time (WIB)"),
    "event": ("Peristiwa", "Event"),
    "event_type": ("Jenis peristiwa", "Event type"),
    # What happened, in words, for the event types of an activity's history (others show
    # their catalogue name).
    "ev_ActivityRegistered": ("Kegiatan didaftarkan", "Activity registered"),
    "ev_ActivityTargetsRevised": ("Target kegiatan direvisi", "Activity targets revised"),
    "ev_ActivityMappedToProblem": ("Dikaitkan dengan masalah", "Linked to a problem"),
    "ev_EvaluationRecorded": ("Evaluasi triwulan dicatat", "Quarterly evaluation recorded"),
    "ev_EvaluationCorrected": ("Evaluasi dikoreksi", "Evaluation corrected"),
    "ev_ActivityMergedInto": ("Digabung ke kegiatan bersama", "Merged into a joint activity"),
    "ev_ActivitiesMerged": ("Kegiatan bersama dibentuk", "Joint activity formed"),
    "ev_RecommendationIssued": ("Rekomendasi diterbitkan", "Recommendation issued"),
    "ev_RecommendationFollowedUp": ("Tindak lanjut dilaporkan", "Follow-up reported"),
    # -- proof: fingerprint, as-of builds and "Jejak data" ------------------------------------
    "fingerprint_short": ("sidik jari {short}", "fingerprint {short}"),
    "fingerprint_full": (
        "Sidik jari riwayat peristiwa (SHA-256): {fingerprint}. "
        "Buktikan dengan `monev verify --fingerprint … --position …`.",
        "Fingerprint of the event history (SHA-256): {fingerprint}. "
        "Prove it with `monev verify --fingerprint … --position …`.",
    ),
    "data_source": ("Data", "Data"),
    "data_live": ("Data terkini", "Current data"),
    "data_per_rakor": ("Data per rakor {quarter}", "Data as of the rakor of {quarter}"),
    "data_per_position": (
        "Data per posisi peristiwa {position}",
        "Data as of event position {position}",
    ),
    "data_per_time": ("Data per {moment}", "Data as of {moment}"),
    "as_of_read_only": (
        "{label}: arsip hanya baca, dibangun dari peristiwa sampai posisi {position}.",
        "{label}: a read-only archive, built from the events up to position {position}.",
    ),
    "trail_title": ("Jejak data: {what}", "Data trail: {what}"),
    "trail_intro": (
        "Peristiwa di balik angka ini: posisi di penyimpanan peristiwa, waktu, siapa, apa yang "
        "diubah, dan alasan koreksi.",
        "The events behind this figure: position in the event store, time, who, what changed, "
        "and the reason for corrections.",
    ),
    "trail_empty": ("Belum ada peristiwa di balik angka ini.", "No events behind this figure yet."),
    "trail_change": ("Perubahan", "What changed"),
    "trail_evaluation": (
        "fisik {physical}, keuangan {financial}, indikator {indicator}",
        "physical {physical}, financial {financial}, indicator {indicator}",
    ),
    "trail_done": (" (selesai)", " (done)"),
    "trail_choose_opd": ("Jejak data OPD", "Data trail of an agency"),
    "trail_choose_recommendation": ("Jejak data rekomendasi", "Data trail of a recommendation"),
    "who": ("Oleh", "By"),
    "role": ("Peran", "Role"),
    "reason": ("Alasan", "Reason"),
    "details": ("Rincian", "Details"),
    "league_chart": ("Capaian rata-rata per OPD", "Average achievement per agency"),
    # -- recommendations --------------------------------------------------------------------
    "recs_title": (
        "Rekomendasi per OPD sampai {quarter}",
        "Recommendations per agency up to {quarter}",
    ),
    "recs_chart": ("Rekomendasi terbuka dan lewat tenggat", "Open and overdue recommendations"),
    "rec_code": ("Kode", "Code"),
    "rec_text": ("Rekomendasi", "Recommendation"),
    "issued": ("Diterbitkan", "Issued"),
    "due": ("Tenggat", "Due"),
    "status": ("Status", "Status"),
    "last_progress": ("Tindak lanjut terakhir", "Latest follow-up"),
    "only_open": ("Hanya yang belum selesai", "Only those not done"),
    "status_open": ("terbuka", "open"),
    "status_done": ("selesai", "done"),
    "status_overdue": ("lewat tenggat", "overdue"),
    # -- Satrya Emas ------------------------------------------------------------------------
    "coverage_title": (
        "Cakupan pendamping per kecamatan, {quarter}",
        "Mentor coverage per kecamatan, {quarter}",
    ),
    "coverage_legend": (
        "0 pendamping = **kosong**, 2 atau lebih = **dobel**. Wilayah pelayanan adalah bawaan "
        "yang dapat diubah (seed dbt).",
        "0 mentors = **gap**, 2 or more = **doubled**. Service regions are an editable default "
        "(a dbt seed).",
    ),
    "service_region": ("Wilayah pelayanan", "Service region"),
    "mentor_count": ("Jumlah pendamping", "Mentors"),
    "mentor_names": ("Pendamping", "Mentors"),
    "coverage": ("Cakupan", "Coverage"),
    "gap": ("kosong", "gap"),
    "doubled": ("dobel", "doubled"),
    "covered": ("terisi", "covered"),
    "kpi_gaps": ("Kecamatan tanpa pendamping", "Kecamatan without a mentor"),
    "kpi_doubles": ("Kecamatan ≥2 pendamping", "Kecamatan with ≥2 mentors"),
    "kpi_mentors": ("Pendamping aktif", "Active mentors"),
    "kpi_umkm": ("UMKM didampingi / target", "UMKM assisted / target"),
    "region_chart": ("Cakupan per wilayah pelayanan", "Coverage per service region"),
    "mentor_title": (
        "Komitmen dan hasil pendamping, {quarter}",
        "Mentor commitment and results, {quarter}",
    ),
    "mentor": ("Pendamping", "Mentor"),
    "mentor_kind": ("Jenis", "Kind"),
    "kecamatan_count": ("Kecamatan dampingan", "Kecamatan covered"),
    "score": ("Skor komitmen", "Commitment score"),
    "reports": ("Laporan", "Reports"),
    "umkm_target": ("Target UMKM", "UMKM target"),
    "umkm_vs_target": ("UMKM vs target", "UMKM vs target"),
    "permits": ("Izin difasilitasi", "Permits facilitated"),
    "mentor_chart": ("UMKM didampingi terhadap target", "UMKM assisted against target"),
    # -- synergy ----------------------------------------------------------------------------
    "sinergi_intro": (
        "Kegiatan beberapa OPD yang menangani masalah yang sama digabung menjadi satu kegiatan "
        "bersama dengan OPD pemimpin; pagu digabungkan.",
        "Activities of several agencies addressing the same problem are merged into one joint "
        "activity with a lead agency; budgets combine.",
    ),
    "joint_activity": ("Kegiatan bersama", "Joint activity"),
    "lead_opd": ("OPD pemimpin", "Lead agency"),
    "participants": ("OPD peserta", "Participating agencies"),
    "lead_mark": ("{opd} (pemimpin)", "{opd} (lead)"),
    "achievement_band": ("Capaian · kategori", "Achievement · band"),
    "merged_activities": ("Kegiatan yang digabung", "Merged activities"),
    "combined_budget": ("Pagu gabungan", "Combined budget"),
    "merged_at": ("Digabung pada", "Merged on"),
    "kpi_joint": ("Kegiatan bersama", "Joint activities"),
    "kpi_merged": ("Kegiatan digabung", "Activities merged"),
    "problems_title": (
        "Masalah dan kegiatan yang menanganinya, {quarter}",
        "Problems and the activities addressing them, {quarter}",
    ),
    "problem": ("Masalah", "Problem"),
    "category": ("Kategori masalah", "Problem category"),
    "addressed_by": ("Ditangani oleh", "Addressed by"),
    "unaddressed": ("belum ditangani", "not addressed"),
    "sinergi_chart": ("Pagu gabungan per kegiatan bersama", "Combined budget per joint activity"),
    "candidates_title": ("Usulan penggabungan", "Suggested merges"),
    "fiscal_year": ("Tahun anggaran", "Fiscal year"),
    "candidates_intro": (
        "Kegiatan beberapa OPD pada tahun anggaran yang sama yang menangani masalah yang sama, "
        "atau kategori masalah yang sama di kecamatan yang sama, dan belum digabung.",
        "Activities of several agencies in the same fiscal year that address the same problem, "
        "or the same problem category in the same kecamatan, and are not merged yet.",
    ),
    "no_candidates": ("Tidak ada usulan penggabungan.", "No merges to suggest."),
    "candidate_reason": ("Alasan usulan", "Reason"),
    "reason_same_problem": ("Masalah yang sama", "Same problem"),
    "reason_same_category_and_kecamatan": (
        "Kategori masalah sama di kecamatan yang sama",
        "Same problem category in the same kecamatan",
    ),
    "already_merged": ("Sudah digabung", "Already merged"),
    "merged_candidates_title": (
        "Usulan yang sudah digabung",
        "Suggestions already merged",
    ),
    "merge_form_title": ("Gabungkan usulan", "Merge a suggestion"),
    "merge_candidate": ("Usulan", "Suggestion"),
    "joint_code": ("Kode kegiatan bersama", "Joint activity code"),
    "joint_name": ("Nama kegiatan bersama", "Joint activity name"),
    "merge_confirm": (
        "Saya memeriksa OPD pemimpin dan nama kegiatan bersama",
        "I have checked the lead agency and the joint activity's name",
    ),
    "merge_submit": ("Gabungkan", "Merge"),
    "merge_unconfirmed": (
        "Centang konfirmasi OPD pemimpin dan nama sebelum menggabungkan.",
        "Tick the confirmation of the lead agency and name before merging.",
    ),
    "merge_after_refresh": (
        "Kegiatan bersama tampil di halaman ini setelah penyegaran gudang data berikutnya.",
        "The joint activity shows on this page after the next warehouse refresh.",
    ),
    # -- downloads --------------------------------------------------------------------------
    "unduh_csv": ("CSV setiap mart untuk {quarter}", "CSV of each mart for {quarter}"),
    "unduh_csv_note": (
        "Mart tanpa kolom triwulan (rekomendasi, kegiatan bersama) diunduh utuh.",
        "Marts without a quarter column (recommendations, joint activities) download whole.",
    ),
    "download": ("Unduh", "Download"),
    "kpi_marts": ("Mart tersedia", "Marts available"),
    "kpi_rows": ("Baris untuk {quarter}", "Rows for {quarter}"),
    "rows": ("{rows} baris", "{rows} rows"),
    "unduh_xlsx": ("Formulir evaluasi triwulan (XLSX)", "Quarterly evaluation form (XLSX)"),
    "unduh_xlsx_note": (
        "Tata letak Permendagri 86/2017: target dan realisasi per triwulan (K dan Rp), capaian "
        "dan kategori, faktor pendorong, penghambat dan tindak lanjut.",
        "Permendagri 86/2017 layout: targets and realisation per quarter (K and Rp), achievement "
        "and band, drivers, obstacles and follow-up.",
    ),
    "xlsx_button": ("Unduh formulir {opd} {quarter}", "Download the form of {opd}, {quarter}"),
    "xlsx_unavailable": (
        "Formulir belum dapat dibuat: {error}",
        "The form cannot be built: {error}",
    ),
    # -- input ------------------------------------------------------------------------------
    "input_intro": (
        "Setiap isian dijalankan sebagai perintah domain atas nama **{user}**; domain memeriksa "
        "lagi setiap hak dan aturan. Data baru tampil di laporan sesudah `monev refresh`.",
        "Every form runs a domain command as **{user}**; the domain checks every right and rule "
        "again. New data shows in the reports after `monev refresh`.",
    ),
    "input_opd_fixed": ("Anda mencatat untuk **{opd}**.", "You record for **{opd}**."),
    "acting_opd": ("OPD", "Agency"),
    "form": ("Formulir", "Form"),
    "form_record_evaluation": ("Catat evaluasi triwulan", "Record a quarterly evaluation"),
    "form_correct_evaluation": ("Koreksi evaluasi", "Correct an evaluation"),
    "form_follow_up": ("Tindak lanjut rekomendasi", "Follow up a recommendation"),
    "form_register_activity": ("Daftarkan kegiatan", "Register an activity"),
    "form_hold_rakor": ("Catat rakor", "Record a rakor"),
    "form_close_quarter": ("Tutup triwulan", "Close a quarter"),
    "form_issue_recommendation": ("Terbitkan rekomendasi", "Issue a recommendation"),
    "form_assign_mentor": ("Tugaskan pendamping", "Assign a mentor"),
    "form_evaluate_mentor": ("Nilai komitmen pendamping", "Evaluate a mentor"),
    "physical_pct": ("Realisasi fisik (%)", "Physical realisation (%)"),
    "financial_rp": ("Realisasi keuangan (Rp)", "Financial realisation (Rp)"),
    "indicator_value": ("Realisasi indikator", "Indicator realisation"),
    "drivers": ("Faktor pendorong", "Drivers"),
    "obstacles": ("Faktor penghambat", "Obstacles"),
    "correction_reason": ("Alasan koreksi (wajib)", "Reason for the correction (required)"),
    "recommendation": ("Rekomendasi", "Recommendation"),
    "progress": ("Kemajuan tindak lanjut", "Follow-up progress"),
    "is_done": ("Selesai", "Done"),
    "program_code": ("Kode program", "Program code"),
    "name": ("Nama", "Name"),
    "pagu_rp": ("Pagu (Rp)", "Budget (Rp)"),
    "indicator_name": ("Indikator keluaran", "Output indicator"),
    "indicator_unit": ("Satuan", "Unit"),
    "indicator_kind": ("Sifat target", "Target kind"),
    "kind_cumulative": ("kumulatif", "cumulative"),
    "kind_incremental": ("per triwulan", "incremental"),
    "annual_target": ("Target tahunan", "Annual target"),
    "quarterly_targets": ("Target TW I;II;III;IV", "Targets Q I;II;III;IV"),
    "held_on": ("Tanggal rakor", "Date of the rakor"),
    "attending": ("OPD yang hadir", "Attending agencies"),
    "notes": ("Catatan", "Notes"),
    "rec_due": ("Tenggat triwulan", "Due quarter"),
    "about_activity": ("Tentang kegiatan (opsional)", "About an activity (optional)"),
    "from_date": ("Mulai tanggal", "From date"),
    "reports_submitted": ("Laporan diserahkan", "Reports submitted"),
    "submit": ("Simpan", "Save"),
    "stored": ("Tersimpan sebagai peristiwa:", "Stored as events:"),
    # A refusal: what kind of refusal, then the domain's refusal itself, both in the reader's
    # language (the refusal through apps.messages, the catalogue the CLI and imports share).
    "refused": (
        "Ditolak: {kind} Tidak ada yang disimpan.\n\nKeterangan: {reason}",
        "Refused: {kind} Nothing was stored.\n\nDetails: {reason}",
    ),
    "refusal_PermissionDeniedError": (
        "Anda tidak berwenang untuk perintah ini (staf OPD hanya mencatat untuk OPD-nya "
        "sendiri; sebagian perintah hanya untuk staf Bagian Perekonomian).",
        "You may not do this (agency staff record only for their own agency; some commands "
        "are for division staff only).",
    ),
    "refusal_QuarterClosedError": (
        "Triwulan itu sudah ditutup sesudah rakor: evaluasinya hanya dapat diubah lewat "
        "koreksi dengan alasan.",
        "That quarter was closed after its rakor: its evaluations change only through a "
        "correction with a reason.",
    ),
    "refusal_ActivityMergedError": (
        "Kegiatan itu sudah digabung ke kegiatan bersama; catat pada kegiatan bersamanya.",
        "That activity was merged into a joint activity; record on the joint activity.",
    ),
    "refusal_InvalidInputError": (
        "Ada isian yang tidak mungkin atau tidak sah.",
        "A value is impossible or not allowed.",
    ),
    "refusal_NotFoundError": (
        "Yang dirujuk belum terdaftar.",
        "What the form refers to is not registered.",
    ),
    "refusal_DuplicateError": (
        "Kode atau catatan itu sudah ada.",
        "That code or record already exists.",
    ),
    "refusal_ConflictError": (
        "Perintah ini bertentangan dengan yang sudah tercatat.",
        "The command contradicts what is already recorded.",
    ),
    "refusal_MonevError": (
        "Perintah tidak dapat dijalankan.",
        "The command cannot be run.",
    ),
    "refusal_not_signed_in": (
        "Masuk sebagai admin atau staf OPD untuk mencatat.",
        "Sign in as an admin or agency user to record.",
    ),
    "regency_wide": ("Se-kabupaten (tanpa kecamatan)", "Regency-wide (no kecamatan)"),
    "no_choices": (
        "Belum ada pilihan di gudang data.",
        "Nothing to choose from in the warehouse yet.",
    ),
    "quarter_closed_note": (
        "Triwulan yang sudah ditutup hanya menerima koreksi dengan alasan.",
        "A closed quarter only takes corrections with a reason.",
    ),
    # -- fields of stored events, as the Input page confirms them ---------------------------
    "field_activity_code": ("Kode kegiatan", "Activity code"),
    "field_annual_target": ("Target tahunan", "Annual target"),
    "field_attending_opd_codes": ("OPD yang hadir", "Attending agencies"),
    "field_category": ("Kategori", "Category"),
    "field_code": ("Kode", "Code"),
    "field_combined_pagu_rp": ("Pagu gabungan", "Combined budget"),
    "field_drivers": ("Faktor pendorong", "Drivers"),
    "field_due_quarter": ("Tenggat triwulan", "Due quarter"),
    "field_financial_rp": ("Realisasi keuangan", "Financial realisation"),
    "field_fiscal_year": ("Tahun anggaran", "Fiscal year"),
    "field_from_date": ("Mulai", "From"),
    "field_held_on": ("Tanggal rapat", "Held on"),
    "field_indicator_kind": ("Jenis indikator", "Indicator kind"),
    "field_indicator_name": ("Indikator", "Indicator"),
    "field_indicator_unit": ("Satuan indikator", "Indicator unit"),
    "field_indicator_value": ("Capaian indikator", "Indicator value"),
    "field_is_done": ("Selesai", "Done"),
    "field_is_joint": ("Kegiatan gabungan", "Joint activity"),
    "field_joint_code": ("Kode kegiatan gabungan", "Joint activity code"),
    "field_kecamatan_code": ("Kode kecamatan", "Kecamatan code"),
    "field_kecamatan_codes": ("Kecamatan", "Kecamatan"),
    "field_kind": ("Jenis", "Kind"),
    "field_lead_opd_code": ("OPD pengampu", "Lead agency"),
    "field_merged_codes": ("Kegiatan yang digabung", "Merged activities"),
    "field_name": ("Nama", "Name"),
    "field_notes": ("Catatan", "Notes"),
    "field_obstacles": ("Faktor penghambat", "Obstacles"),
    "field_opd_code": ("OPD", "Agency"),
    "field_opd_codes": ("OPD", "Agencies"),
    "field_originator_id_type": ("Jenis pengenal", "Identifier type"),
    "field_pagu_rp": ("Pagu anggaran", "Budget"),
    "field_permits_facilitated": ("Izin difasilitasi", "Permits facilitated"),
    "field_physical_pct": ("Realisasi fisik", "Physical realisation"),
    "field_problem_code": ("Kode masalah", "Problem code"),
    "field_program_code": ("Kode program", "Programme code"),
    "field_progress": ("Perkembangan", "Progress"),
    "field_quarter": ("Triwulan", "Quarter"),
    "field_quarterly_targets": ("Target per triwulan", "Quarterly targets"),
    "field_reason": ("Alasan", "Reason"),
    "field_recruited_by_opd": ("Direkrut oleh OPD", "Recruited by agency"),
    "field_registered_on": ("Tanggal daftar", "Registered on"),
    "field_reports_submitted": ("Laporan diserahkan", "Reports submitted"),
    "field_role": ("Peran", "Role"),
    "field_score": ("Nilai", "Score"),
    "field_short_name": ("Nama singkat", "Short name"),
    "field_text": ("Isi", "Text"),
    "field_title": ("Judul", "Title"),
    "field_to_date": ("Sampai", "To"),
    "field_umkm_assisted": ("UMKM didampingi", "MSMEs assisted"),
    "field_umkm_target": ("Target UMKM", "MSME target"),
    # -- maps (apps/charts/maps.py) and the rakor report -------------------------------------
    "map_measure": ("Ukuran pada peta", "Measure on the map"),
    "measure_pagu_per_capita": ("Pagu per kapita", "Budget per capita"),
    "measure_absorption": ("Serapan anggaran", "Budget absorption"),
    "measure_achievement": ("Rata-rata capaian (predikat)", "Average achievement (band)"),
    "measure_umkm": ("UMKM didampingi", "UMKM assisted"),
    "map_disparity_title": (
        "{measure} per kecamatan, {quarter}",
        "{measure} per kecamatan, {quarter}",
    ),
    "map_east_note": (
        "Garis hitam tebal: wilayah timur.",
        "Thick black outline: the eastern region.",
    ),
    "map_darker_note": (
        "Makin gelap, makin besar nilainya (predikat: makin gelap, makin tinggi).",
        "The darker, the larger the value (bands: the darker, the higher).",
    ),
    "map_coverage_note": (
        "Merah tua: kosong (tanpa pendamping); jingga: dobel (2 pendamping atau lebih).",
        "Dark red: gap (no mentor); orange: doubled (two mentors or more).",
    ),
    "map_no_data_note": (
        "Abu-abu muda bergaris putus: tidak ada data.",
        "Light grey with a dashed border: no data.",
    ),
    "map_coverage_title": (
        "Cakupan pendamping per kecamatan, {quarter}",
        "Mentor coverage per kecamatan, {quarter}",
    ),
    "map_regions_title": ("Wilayah pelayanan Satrya Emas", "Satrya Emas service regions"),
    "map_regions_note": (
        "Pembagian bawaan yang dapat diubah (seed dbt).",
        "An editable default grouping (dbt seed).",
    ),
    "unduh_report": ("Laporan rakor triwulan", "Quarterly rakor report"),
    "unduh_report_note": (
        "Laporan Hasil Evaluasi Triwulan untuk rakor, dari gudang data yang diterbitkan: PDF "
        "untuk dibaca, DOCX untuk dilengkapi dan ditandatangani.",
        "The quarterly evaluation report for the rakor, from the published warehouse: PDF to "
        "read, DOCX to finish and sign.",
    ),
    "report_prepare": ("Siapkan laporan {quarter}", "Prepare the {quarter} report"),
    "report_button": ("Unduh laporan {format}", "Download the report ({format})"),
    "report_unavailable": (
        "Laporan tidak dapat dibuat: {error}",
        "The report cannot be made: {error}",
    ),
    # -- bands ------------------------------------------------------------------------------
    "band_sangat_tinggi": ("Sangat tinggi", "Very high"),
    "band_tinggi": ("Tinggi", "High"),
    "band_sedang": ("Sedang", "Medium"),
    "band_rendah": ("Rendah", "Low"),
    "band_sangat_rendah": ("Sangat rendah", "Very low"),
    "band_none": ("Belum dievaluasi", "Not evaluated"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
}


def translate(key: str, lang: str, **values: object) -> str:
    """The text for ``key`` in ``lang``; an unknown key shows itself, so it is seen and fixed."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
