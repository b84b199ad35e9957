"""Reading the CSV files users give the commands: nothing lost or shifted, whatever Excel wrote."""

import re

import pytest

from atelier.flows.tables import TableError, read_table, sniff_delimiter


def test_a_one_column_excel_export_keeps_the_commas_of_its_texts(tmp_path):
    # French Excel's « CSV (séparateur : point-virgule) » of one column: Windows-1252, and a comma
    # inside a text is not quoted (it is not the separator). Read as comma-separated, every text
    # lost what came before its first comma.
    path = tmp_path / "postits.csv"
    path.write_bytes("text\nCréer des emplois, former les jeunes\nDévelopper le vélo\n".encode("cp1252"))
    table = read_table(path, "text")
    assert table.frame["text"].tolist() == ["Créer des emplois, former les jeunes", "Développer le vélo"]
    assert table.from_excel
    assert table.warnings == (f"{path} n'est pas en UTF-8 ; lu comme un export Excel (Windows-1252).",)


def test_a_row_with_more_cells_than_the_header_is_refused_with_its_line(tmp_path):
    # Every row one cell too many: pandas took the first column for an index and dropped the ids.
    path = tmp_path / "idees.csv"
    path.write_text("id,text\n1,Créer des emplois, former les jeunes\n2,Lutter contre la précarité\n", encoding="utf-8")
    with pytest.raises(TableError, match="ligne 2, 3 cellules pour 2 colonne"):
        read_table(path, "text")


def test_trailing_separators_and_short_rows_lose_nothing(tmp_path):
    path = tmp_path / "idees.csv"
    path.write_text("id;text;\n1;Créer des emplois;;\n2;Lutter contre la précarité\n3\n", encoding="utf-8")
    frame = read_table(path, "text").frame
    assert frame[["id", "text"]].values.tolist() == [
        ["1", "Créer des emplois"], ["2", "Lutter contre la précarité"], ["3", ""],
    ]  # fmt: skip


def test_a_file_mixing_utf8_and_windows_1252_lines_is_decoded_line_by_line(tmp_path):
    # Two exports pasted together: the UTF-8 line used to be decoded as Windows-1252 too ("CrÃ©er").
    path = tmp_path / "idees.csv"
    path.write_bytes(
        "id,text\n1,Créer des jardins\n".encode("utf-8") + "2,Créer des jardins\n3,Réduire\n".encode("cp1252")
    )
    table = read_table(path, "text")
    assert table.frame["text"].tolist() == ["Créer des jardins", "Créer des jardins", "Réduire"]
    assert table.warnings == (
        f"{path} mêle UTF-8 et Windows-1252 : 2 ligne(s) lue(s) en Windows-1252, les autres en UTF-8.",
    )


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("N°;Idée (texte, libre);Thème\n1;Créer des emplois;Emploi\n", ";"),  # more commas than rows have
        ("Idée (texte, libre)\nCréer des emplois\nFormer les jeunes\n", None),  # the header's comma is text
        ("id\ttexte\n1\tCréer, former\n", "\t"),
        ("id,text\n1,Créer des emplois\n", ","),
    ],
)
def test_the_separator_splits_the_header_and_the_rows_alike(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_a_header_naming_the_text_column_twice_is_refused(tmp_path):
    path = tmp_path / "idees.csv"
    path.write_text("text,text\nCréer des jardins,Autre\n", encoding="utf-8")
    with pytest.raises(TableError, match="la colonne « text » figure 2 fois"):
        read_table(path, "text")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # An unclosed quote took every row after it into one cell: 2 rows read of 5.
        (
            'id,text\n1,Créer\n2,"Le ""vivre ensemble, un slogan\n3,Former\n4,Aider\n',
            "ligne 3 (guillemet ouvert jamais refermé)",
        ),
        # A quoted word at the start of a one-column cell lost its quotes.
        ('text\nCréer\n"Vivre ensemble" est un slogan creux\n', "ligne 3 (texte collé après un guillemet fermant"),
    ],
    ids=["unclosed", "text-after-quote"],
)
def test_a_stray_quote_is_refused_with_the_line_where_its_record_starts(tmp_path, rows, message):
    path = tmp_path / "idees.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(TableError, match=re.escape(message)):
        read_table(path, "text")


def test_a_quoted_cell_across_the_sniffed_sample_keeps_the_separator(tmp_path):
    # The sample the separator is chosen on ends inside a multi-line quoted cell.
    cell = '"' + "Créer des jardins; partagés\n" * 3000 + '"'
    path = tmp_path / "idees.csv"
    path.write_text(f"id;text\n1;Former\n2;{cell}\n3;Aider\n", encoding="utf-8")
    frame = read_table(path, "text").frame
    assert frame["id"].tolist() == ["1", "2", "3"]
    assert frame["text"].tolist()[2] == "Aider"


def test_lines_ended_the_old_mac_way_or_mixed_are_lines(tmp_path):
    # QA: refused with Python's "universal-newline mode" in English.
    path = tmp_path / "mac.csv"
    path.write_bytes(b'text;theme\rAider les familles;Social\r\n"Deux\rlignes";X\nFin;Y\r')
    frame = read_table(path, "text").frame
    assert frame["text"].tolist() == ["Aider les familles", "Deux\nlignes", "Fin"]
    assert frame["theme"].tolist() == ["Social", "X", "Y"]


def test_a_nul_in_a_cell_is_a_space_and_said(tmp_path):
    # QA: "Créer un emploi\x00 pour les jeunes" lost "emploi" and went to the wrong axis at 0.87.
    path = tmp_path / "nul.csv"
    path.write_bytes("text\nCréer un emploi\x00 pour les jeunes\n".encode())
    table = read_table(path, "text")
    assert table.frame["text"].tolist() == ["Créer un emploi  pour les jeunes"]
    assert table.warnings == (f"{path} : 1 caractère(s) de contrôle (NUL…) lu(s) comme des espaces.",)


def test_a_report_or_an_old_workbook_given_as_a_table_is_named(tmp_path):
    # QA: a PDF was read as a CSV whose one column was « %PDF-1.4 », an .xls as a text whose
    # encoding was neither UTF-8 nor Windows-1252.
    report = tmp_path / "idees.csv"  # (its name does not hide what it is)
    report.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(TableError, match="pas un tableau CSV mais un PDF : un rapport se lit avec atelier run"):
        read_table(report, "text")
    old = tmp_path / "ancien.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(TableError, match=r"classeur Excel ancien \(\.xls\) : enregistrez-le en \.xlsx ou en CSV"):
        read_table(old, "text")


def test_a_workbook_whose_one_cell_lies_far_away_is_refused_without_filling_the_sheet(tmp_path):
    # QA: a 1.5 KB workbook with a cell in XFD1048576 took 7.6 GB (every row filled to 16,384 columns).
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Idées"
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "text", "axis", "Plus de bus la nuit", 2
    workbook.save(tmp_path / "sain.xlsx")
    table = read_table(tmp_path / "sain.xlsx", "text")
    assert table.frame.to_dict("records") == [{"text": "Plus de bus la nuit", "axis": "2"}]
    sheet["XFD1048576"] = "loin"
    workbook.save(tmp_path / "loin.xlsx")
    assert (tmp_path / "loin.xlsx").stat().st_size < 10_000
    with pytest.raises(TableError, match="feuille « Idées » trop grande .au moins 1048576 lignes × 16384 colonnes"):
        read_table(tmp_path / "loin.xlsx", "text")


def test_a_cell_longer_than_any_contribution_is_refused_with_its_line(tmp_path):
    # QA: a cell of 10 million characters took 29 s and 3.5 GB to classify; of 250 million, it did not end.
    path = tmp_path / "long.csv"
    path.write_text("text\nPlus de bus\n" + "a" * 2_000_001 + "\n", encoding="utf-8")
    said = "ligne 3, colonne « text » : cellule de 2 000 001 caractères .limite 2 000 000."
    with pytest.raises(TableError, match=said):
        read_table(path, "text")
