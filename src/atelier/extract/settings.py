"""Settings of extraction: one validated dataclass with named defaults.

Distances are in PDF points unless the name says `_ratio` (then a fraction of the font size
or of the page size).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DETAIL_LABELS: tuple[str, ...] = (
    "Risque",
    "Risques",
    "Frein",
    "Freins",
    "Freins éventuels",
    "Facteur de réussite",
    "Facteurs de réussite",
    "Facteurs exogènes et volontaires de réussite",
    "Action",
    "Actions",
    "Actions modalités",
    "Modalités",
    "Partenaires",
    "Partenariat",
    "Calendrier",
    "Critère d'évaluation",
    "Critères d'évaluation",
    "Priorité",
    "Porteur",
    "Porteurs",
    "Cible",
    "Cibles",
    "Explication",
    "Éléments à approfondir",
    "Opportunité",
    "Acteurs",
    "Financeurs",
    "Objectifs rattachés",
    "Levier",
    "Leviers",
    "Indicateur",
    "Indicateurs",
    "Indicateurs de suivi",
    "Moyens",
    "Budget",
    "Coût",
    "Échéance",
    "Échéances",
    "Pilote",
    "Obstacle",
    "Obstacles",
)

# Header cell texts (compared accent- and case-insensitively, without a closing « : » or a plural
# « (s) »: « Porteur(s) : » is « porteur ») and the role of their column.
DEFAULT_HEADER_ROLES: tuple[tuple[str, str], ...] = (
    ("thematiques", "theme"),
    ("thematique", "theme"),
    ("objectifs", "objective"),
    ("objectif", "objective"),
    ("theme", "theme"),
    ("themes", "theme"),
    ("actions", "action"),
    ("action", "action"),
    ("piste d'action", "action"),
    ("pistes d'action", "action"),
    ("pistes d'actions", "action"),
    ("actions proposees", "action"),
    ("freins / modalites", "details"),
    ("freins/modalites", "details"),
    ("freins et modalites", "details"),
    ("freins", "details"),
    ("modalites", "details"),
    ("freins / leviers", "details"),
    ("freins/leviers", "details"),
    ("freins et leviers", "details"),
    ("leviers", "details"),
    ("modalites de mise en oeuvre", "details"),
    ("mise en oeuvre", "details"),
    ("moyens", "details"),
    ("cout", "details"),
    ("indicateurs de suivi", "details"),
    # Plan Climat / Agenda 21 tables of four columns: « Axe | Objectif | Action | Obstacle »,
    # « Objectifs | Actions | Porteurs | Échéances ». A details column named by one of
    # `detail_labels` files its cells under that label.
    ("axe", "theme"),
    ("axes", "theme"),
    ("frein", "details"),
    ("levier", "details"),
    ("obstacle", "details"),
    ("obstacles", "details"),
    ("porteur", "details"),
    ("porteurs", "details"),
    ("pilote", "details"),
    ("acteurs", "details"),
    ("partenaires", "details"),
    ("echeance", "details"),
    ("echeances", "details"),
    ("calendrier", "details"),
    ("pilotes", "details"),
    ("echeancier", "details"),
    ("indicateur", "details"),
    ("indicateurs", "details"),
    ("budget", "details"),
    ("axe strategique", "theme"),
    ("axes strategiques", "theme"),
    ("post-it", "postit"),
    ("post-its", "postit"),
    ("postit", "postit"),
    ("postits", "postit"),
)


@dataclass(frozen=True)
class ExtractionSettings:
    """How `extract_document` reads a report. Every threshold of extraction lives here."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 1000
    # A document is read in a process of its own (`flows.reader`), which may take this much memory
    # above what it starts with (a small PDF can hold compressed streams of many GB; a 19-page
    # report takes about 120 MB) and this many seconds (a 19-page report: 1.5 s; scanned, 1.4 s a
    # page of OCR, so 70 s for `ocr_max_pages`: bench/extract_ocr.py).
    max_memory_bytes: int = 4 * 1024**3
    document_timeout: float = 900.0
    # Documents of a run read at once, each in its own worker process (and memory bound).
    parallel_documents: int = 2
    # A Word file (a ZIP archive) larger than this once unpacked is refused before it is unpacked.
    max_unpacked_bytes: int = 512 * 1024**2
    # Characters smaller than this ratio of the page's text size are footnotes, footnote markers or fine
    # print: the smallest size that this share of the page's characters have at least.
    fine_print_ratio: float = 0.8
    fine_print_min_share: float = 0.15
    # A footnote call set as a superscript: a number or a star at most this far (points) after a
    # word, at most this ratio of its size, its foot raised by at least this ratio of its size.
    note_call_gap: float = 2.0
    note_call_size_ratio: float = 0.9
    note_call_raise_ratio: float = 0.15
    # Two words of one line closer than this ratio of the font size are one run of text (a change
    # of font inside a word, "(≥" then "18"); further apart, a space separates them.
    word_space_ratio: float = 0.12
    # Bands at the top and bottom of each page that hold running headers and footers.
    header_band_ratio: float = 0.075
    footer_band_ratio: float = 0.075
    # A line of the first page's header band set at least this ratio of the page's commonest size, and
    # printed in no other page's band, is the document's title, not a running header.
    band_heading_size_ratio: float = 1.15
    # A line of a header or footer band is the page's text (`layout._text_rows_in_band`) when the text
    # goes on from it or into it within this ratio of the font size (a table across a page break with
    # narrow margins); headers and footers are set further apart …
    band_text_gap_ratio: float = 1.2
    # … and in type of the text's size, give or take this ratio (a header or footer is set smaller; a
    # post-it drawn as a box is in one size, give or take as much).
    band_text_size_tolerance: float = 0.1
    # Two words on one line further apart than this ratio of the font size belong to different columns…
    column_gap_ratio: float = 0.85
    # … unless this many gaps of the line are as wide, within this many points, and narrower than this ratio of
    # the font size: the spaces of a justified line.
    justified_min_spaces: int = 3
    justified_space_tolerance: float = 0.3
    justified_max_space_ratio: float = 1.5
    # A page set in two columns: a band of white at least this ratio of the font size wide runs down
    # between text on both sides (justified columns may stand 6 points apart in 10-point type; a
    # word space is 0.28 of it, and the spaces of single-column lines do not line up row after row).
    gutter_ratio: float = 0.5
    # … whose band passes within this fraction of the text width of its centre or the page's (ragged
    # columns end short of the text's right margin), its middle or its right edge (a ragged left
    # column ends short of the gutter, the right one starts at it): the two columns are of about one
    # width, 58/42 at most (QA: columns of 60/40 were read row by row; the 40/60 tables of the reports
    # split 10% away from the centre, the 4-column ones further).
    gutter_centre_ratio: float = 0.08
    # … over at least this many printed rows with text on both sides, each side a single column (a
    # table of three or four columns is white down more bands); fewer are a short table, read as such
    # (3: a category and two post-its beside a longer column, QA).
    gutter_min_rows: int = 3
    # … a row with text on one side only counting as such when the row above or below it, closer than this
    # ratio of the larger font size (about a line's height), holds the other side: columns not set level.
    staggered_rows_ratio: float = 1.5
    # A list marker ("-", "1)") and its text may stand this far apart (ratio of the font size).
    marker_gap_ratio: float = 2.5
    # Words whose tops differ by less than this sit on the same line.
    line_tolerance: float = 2.0
    # Inside a cell, a vertical gap larger than this ratio of the font size starts a new paragraph.
    paragraph_gap_ratio: float = 0.45
    # Without ruling lines, a vertical gap larger than this ratio of the font size ends a cell.
    row_gap_ratio: float = 0.95
    # … and lines set closer part rows where every column starts one after white wider by this many
    # points than the table's commonest white between two lines of a cell (padding of 1 point a side).
    row_gap_excess: float = 1.0
    # Lines without a marker read as post-its before a category's first marked one were commentary when
    # longer than this many characters (or closed by a full stop).
    commentary_min_chars: int = 80
    # Table text is at least this much smaller than the prose of the report.
    table_font_delta: float = 0.5
    # A table set at the size of the prose, opened by its header row, ends at a line further below its
    # last one than this ratio of the font size (or at a line across its columns).
    headed_table_gap_ratio: float = 3.0
    # Lines wider than this fraction of the text width count as prose when measuring its size.
    prose_width_ratio: float = 0.75
    # A filled rectangle at least this tall (points) is a shaded row or cell of a table without ruling
    # lines, its top and bottom edges row boundaries; thinner ones are rules and underlines drawn
    # as rectangles (reportlab, Word: 0.5–2 points).
    shading_min_height: float = 4.0
    # A table without ruling lines between columns but with horizontal rules (lines, or rectangles thinner
    # than `shading_min_height`) across this ratio of its width at least, at this many places between its
    # lines at least, is cut into rows at its rules and nowhere else (Word's tables with horizontal borders only).
    row_rule_min_span: float = 0.8
    row_rule_min_count: int = 2
    # Post-its drawn as boxes (`layout.notes_on_page`): coloured rectangles at most this ratio of the
    # page wide and high, this many on a page at least.
    note_max_width_ratio: float = 0.5
    note_max_height_ratio: float = 0.5
    note_min_count: int = 2
    # … of this many lines at most (a box of more, or holding a list, is a text box: « Points forts »).
    note_max_lines: int = 8
    # Two column starts closer than this are one column (tables without ruling lines).
    column_snap: float = 3.0
    # pdfplumber table finder settings for ruled tables.
    ruled_snap_tolerance: float = 3.0
    ruled_edge_min_length: float = 12.0
    detail_labels: tuple[str, ...] = DEFAULT_DETAIL_LABELS
    header_roles: tuple[tuple[str, str], ...] = DEFAULT_HEADER_ROLES
    # A heading over post-its, whether they are printed as a table or as bulleted lists.
    postit_section_pattern: str = r"post-?its?\b"
    # A heading whose bulleted or numbered list, outside a post-it section, is not read but may hold ideas:
    # named in the document's warnings (QA: « Synthèse des propositions prioritaires » was left out unsaid).
    # (Not a heading of the session's course or of a reminder: « Déroulé : … priorisation des propositions »,
    # « Rappel des priorités du mandat »; nor « Pistes cyclables », a topic: QA.)
    unread_ideas_heading_pattern: str = (
        r"^(?![\d.)\s]*(?:deroule|deroulement|ordre du jour|programme|rappel|presentation|methode|methodologie)\b)"
        r".*\b(?:propositions?|idees?|pistes? d'actions?|suggestions?|contributions?|priorites?|prioritaires?)\b"
    )
    # Outline indentation (points) that makes a heading or a bullet deeper than another.
    indent_tolerance: float = 3.0
    # Text set askew by this many degrees (at least, at most) is set straight before it is read: a slide's
    # post-its turned a few degrees; not text turned a quarter (a column's header set vertically).
    text_tilt_degrees: tuple[float, float] = (0.5, 20.0)
    # A filled rectangle so set is a post-it's box when its long side is at most this many times its short one.
    askew_note_max_aspect: float = 4.5
    # A heading at least this much smaller (points) than a post-it list's heading is a level of the list.
    heading_size_step: float = 0.1
    # Headings whose tables are not contributions: lists of who came, compared accent- and
    # case-insensitively with the start of a heading (after a number, "Annexe :", an article):
    # "Étaient présents" is one, "Propositions des participants" is not.
    skipped_sections: tuple[str, ...] = (
        "liste des participants", "participants", "participant.e.s", "participant-e-s", "participant(e)s",
        "participant·e·s", "liste des presents", "liste de presence", "etaient presents", "etaient present.e.s",
        "personnes presentes", "presents", "feuille de presence", "emargement", "feuille d'emargement",
        "liste d'emargement", "liste des inscrits", "inscrits", "personnes excusees", "excuses", "etaient excuses",
        "absents", "liste des contacts", "contacts des participants", "coordonnees des participants",
    )  # fmt: skip
    # A table whose first row names people ("Nom | Prénom | Structure | Courriel") lists who came,
    # whatever its heading (QA: « Liste d'émargement », « Contacts des participants », none): a
    # cell of `person_header_cells` and another of these or of `contact_header_cells` (folded, whole cells).
    person_header_cells: tuple[str, ...] = (
        "nom", "noms", "prenom", "prenoms", "nom prenom", "nom et prenom", "nom - prenom", "nom / prenom",
        "nom, prenom", "prenom nom", "prenom et nom", "nom & prenom", "identite", "participant", "participants",
        "participant.e", "participant(e)", "participante", "civilite",
    )  # fmt: skip
    contact_header_cells: tuple[str, ...] = (
        "courriel", "e-mail", "email", "mail", "adresse mail", "adresse e-mail", "adresse electronique", "telephone",
        "tel", "tel.", "portable", "signature", "adresse", "structure", "organisme", "organisation", "fonction",
        "qualite", "commune", "collectivite", "service", "association", "entreprise", "statut", "college",
    )  # fmt: skip
    # A heading naming an axis: "AXE 2", "Axe 2 :", "AXE N°2".
    axis_heading_pattern: str = r"^\s*axe\s*(?:n\s*°\s*)?(\d+)\b"
    unlabelled_detail_field: str = "Modalités"
    # Details columns (named by their header) whose cells may hold a number alone, kept (« Budget | 12 »):
    # elsewhere a number of three digits at most alone in a cell is a page number caught in it.
    counted_detail_fields: tuple[str, ...] = (
        "Budget", "Coût", "Moyens", "Échéance", "Échéances", "Échéancier", "Calendrier", "Indicateur", "Indicateurs",
        "Indicateurs de suivi", "Priorité",
    )  # fmt: skip
    # Word paragraph styles whose names start with one of these (accent- and case-insensitively) are headings.
    docx_heading_styles: tuple[str, ...] = ("heading", "titre", "title", "subtitle", "sous-titre")
    # Scanned pages: a page with fewer characters than this and an image is read with Tesseract.
    ocr_min_chars: int = 10
    # At most this many pages of a document are read with OCR (0: never); the others are skipped.
    ocr_max_pages: int = 50
    ocr_language: str = "fra"
    # Dots per inch at which a scanned page is rendered for Tesseract.
    ocr_resolution: int = 200
    # Seconds Tesseract may spend on one page.
    ocr_timeout: float = 60.0
    # Tesseract's OpenMP threads, unless OMP_THREAD_LIMIT is set: more is slower on small machines.
    ocr_threads: int = 1
    # Characters Tesseract may not read: in reports, braces are parentheses misread.
    ocr_char_blacklist: str = "{}"
    # Grey level (0–255) below which a pixel of a scanned page is ink.
    ocr_ink_threshold: int = 128
    # A scanned line is bold when its stems are at least this ratio of its font size wide.
    ocr_bold_stroke_ratio: float = 0.15
    # Height of a text line's ink (ascenders to descenders) as a ratio of its font size.
    ocr_line_height_ratio: float = 0.93
    # A scanned page tilted by up to this many degrees is straightened before it is read (its lines
    # and table rules are found by rows and columns of pixels: 1° broke them), when tilted by at
    # least `ocr_skew_min_degrees`; the tilt is measured to `ocr_skew_precision_degrees`.
    # Sizes OCR measures are within this ratio of the text layer's (a scanned page's heading of 12 pt
    # measured 12.4): a size measured is compared with a text layer's only beyond it.
    ocr_size_tolerance: float = 0.06
    ocr_skew_max_degrees: float = 5.0
    # Runs of ink longer than this (points) are a line's, not a letter's: left out of the tilt's measure.
    ocr_skew_max_run_points: float = 12.0
    ocr_skew_min_degrees: float = 0.15
    ocr_skew_precision_degrees: float = 0.05

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_pages <= 0:
            raise ValueError("max_bytes and max_pages must be positive")
        if self.max_memory_bytes <= 0 or self.document_timeout <= 0 or self.max_unpacked_bytes <= 0:
            raise ValueError("max_memory_bytes, document_timeout and max_unpacked_bytes must be positive")
        if self.parallel_documents < 1:
            raise ValueError("parallel_documents must be at least 1")
        for name in (
            "header_band_ratio", "footer_band_ratio", "prose_width_ratio", "fine_print_ratio", "fine_print_min_share"
        ):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {value}")
        for name in (
            "column_gap_ratio", "line_tolerance", "paragraph_gap_ratio", "row_gap_ratio", "column_snap",
            "note_call_gap", "note_call_size_ratio", "note_call_raise_ratio", "shading_min_height",
            "band_heading_size_ratio", "band_text_gap_ratio", "band_text_size_tolerance", "headed_table_gap_ratio",
            "row_gap_excess", "staggered_rows_ratio", "justified_space_tolerance", "justified_max_space_ratio",
        ):  # fmt: skip
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.gutter_ratio <= 0 or not 0 <= self.gutter_centre_ratio < 0.5 or self.gutter_min_rows < 1:
            raise ValueError("gutter_ratio must be positive, gutter_centre_ratio in [0, 0.5), gutter_min_rows >= 1")
        if not (0 < self.note_max_width_ratio <= 1 and 0 < self.note_max_height_ratio <= 1):
            raise ValueError("note_max_width_ratio and note_max_height_ratio must be in (0, 1]")
        if not 0 < self.row_rule_min_span <= 1 or self.row_rule_min_count < 1:
            raise ValueError("row_rule_min_span must be in (0, 1], row_rule_min_count at least 1")
        if self.commentary_min_chars < 1:
            raise ValueError("commentary_min_chars must be at least 1")
        if self.justified_min_spaces < 2:
            raise ValueError("justified_min_spaces must be at least 2")
        if self.note_min_count < 1 or self.note_max_lines < 1:
            raise ValueError("note_min_count and note_max_lines must be at least 1")
        if self.ocr_max_pages < 0 or self.ocr_min_chars < 0:
            raise ValueError("ocr_max_pages and ocr_min_chars must not be negative")
        for name in ("ocr_resolution", "ocr_timeout", "ocr_threads", "ocr_bold_stroke_ratio", "ocr_line_height_ratio"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        low, high = self.text_tilt_degrees
        if not 0 < low <= high < 45:
            raise ValueError("text_tilt_degrees must be (low, high) with 0 < low <= high < 45")
        skew = (self.ocr_skew_min_degrees, self.ocr_skew_max_degrees, self.ocr_skew_precision_degrees)
        if not 0 <= skew[0] <= skew[1] <= 45 or skew[2] <= 0:
            raise ValueError("ocr_skew_min_degrees <= ocr_skew_max_degrees <= 45, ocr_skew_precision_degrees positive")
        if not 0 < self.ocr_ink_threshold < 256:
            raise ValueError(f"ocr_ink_threshold must be in (0, 256), got {self.ocr_ink_threshold}")
        if self.paragraph_gap_ratio >= self.row_gap_ratio:
            raise ValueError("paragraph_gap_ratio must be smaller than row_gap_ratio")
