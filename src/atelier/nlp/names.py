"""Vocabularies of names, places and titles (folded), shared by the analysis of texts for deduplication
(`dedup_text`, which tells a writer's name from a place's) and the masking of personal data (`masking`):
common first names in France and how they are written, the people places are named after, the words that
open a place's or an organisation's name, titles; and, for the masking alone, the first names given in France
and in the countries its residents come from (`other_first_names`)."""

from functools import cache
from importlib.resources import files

# Words that open a place's name, not a person's (a last line « Place Victor Hugo » is the idea's).
PLACE_WORDS = frozenset(
    """rue place avenue av boulevard bd parc quartier square allee chemin impasse cours quai pont jardin
    jardins ecole college lycee gare mairie eglise marche residence cite lac ile mont saint sainte st ste
    bois foret plage port porte route zone centre hotel maison salle stade piscine gymnase hopital musee
    bibliotheque mediatheque theatre cinema esplanade promenade parvis carrefour rond-point ville
    vieux vieille vieil haut haute hauts bas basse grand grande grands petit petite nouveau nouvelle voie
    village parking croix clos mas domaine hameau lotissement faubourg cote colline plateau vallee val pre
    champ champs ferme bourg ilot""".split()
)
PLACE_ARTICLES = frozenset("le la les l du de des d".split())
# Words that end a district's name, not a person's, after a word that is no first name
# (« Vénissieux Centre », « Grenoble Nord »; folded).
DISTRICT_ENDINGS = frozenset("centre nord sud est ouest ville village gare".split())
# Surnames of the people streets, squares and schools are most often named after (folded): after a first
# name, a place (« Piste cyclable - Jean Jaurès », « …\nVictor Hugo »), not a writer.
EPONYMS = frozenset(
    """allende apollinaire aragon aubrac balzac barbusse baudelaire berlioz bert bizet blum brassens briand
    brossolette camus carnot casanova cezanne chopin clemenceau colette condorcet corneille courbet curie
    daudet debussy delacroix diderot dolto dumas dunant eiffel eluard ferry flaubert foch freinet gallieni
    gambetta gaulle giono guesde hoche hugo jaures joffre kennedy king kleber lafayette lamartine leclerc
    lumiere luther lyautey mace malraux mandela marceau matisse mendes mermoz michel michelet mitterrand
    moliere monet monnet montessori moulin mozart pagnol parks pasteur peri perrault picasso pompidou prevert
    proust rabelais racine ravel renoir rimbaud rostand rousseau salengro sand schweitzer semard stendhal
    veil verlaine verne vian voltaire zay zola
    ampere arago auriol beauvoir brel buffon cassin cocteau coubertin cuvier daguerre descartes duras
    fermat frank galante galilee gandhi lagrange lamarck lavoisier montaigne neruda paul piaf sartre
    weil yourcenar""".split()
)
# Common first names that are also common nouns or places (folded): alone, before a colon or after a
# dash, the topic more often than a writer (QA: « Olivier : planter des arbres fruitiers », « Rose :
# planter des rosiers », « Florence : jumelage… » were masked as writers' names).
AMBIGUOUS_FIRST_NAMES = frozenset("ambre capucine florence jade marguerite marine noel olivier rose sofia".split())
# Words before a name that make it an organisation's, not a person's (« l'association Léo Lagrange »).
ORGANISATION_WORDS = frozenset(
    """association asso assos assoc cie compagnie fondation club amicale collectif comite federation ligue
    cooperative foyer ehpad mjc institut societe entreprise espace halle pole creche station arret complexe
    conservatoire universite faculte iut campus zac cite social sociale prix scolaire municipal municipale culturel
    culturelle sportif sportive communal communale""".split()
)
# Words by which an aside names a place (« (quartier Bellevue) », « (Jean Moulin) »; folded), and
# among them those that say what kind of place it is.
PLACE_NAMING_WORDS: frozenset[str] = PLACE_WORDS | EPONYMS
PLACE_KIND_WORDS: frozenset[str] = PLACE_WORDS
# Titles before a surname (folded, without their point): « M. Dupont », « Mme Martin » sign a text.
CIVILITIES = frozenset("m mme mlle mr dr pr monsieur madame mademoiselle docteur professeur maitre".split())
# Common first names in France (folded), for a name alone that could be a place or a topic: « …\nMarie »,
# « Marc : … », « … - Christine ». A first name and a last name need no list.
FIRST_NAMES = frozenset(
    """adam adele adrien agnes ahmed aicha alain albert alexandre alexis alice alicia aline amandine ambre amelie
    amine anais andre andree angelique anne annick annie antoine antonin arlette arnaud arthur audrey aurelie
    aurelien baptiste benjamin benoit bernadette bernard bertrand brigitte bruno camille capucine carole
    caroline catherine cecile celine chantal charles charlotte chloe christian christiane christine christophe
    claire clara claude claudine clement colette corinne cyril damien daniel danielle david delphine denis
    denise didier dominique dylan eliane elisa elise elodie eloise emilie emma emmanuel emmanuelle enzo eric
    estelle ethan etienne eva fabien fabienne fabrice fanny farid fatima fatou florence florian francis
    francois francoise frederic gabriel gaelle genevieve georges gerard gilbert gilberte gilles ginette gisele
    guillaume guy helene henri herve hugo huguette ibrahima ines irene isabelle jacqueline jacques jade jean
    jeanne jeremy jerome joelle jonathan joseph josette josiane jules julie julien juliette justine karim
    karine kevin laetitia laura laure laurence laurent lea leo leon lina lise lou louis louise luc lucas
    lucette lucie lucien lucienne lydie madeleine mael malika manon marc marcel marguerite maria marianne
    marie marine martine mathieu mathilde matteo maurice maxime mehdi melanie michel michele micheline mickael
    mireille mohamed monique morgane moussa mustapha nadia nadine nathalie nathan nicolas nicole noah noe
    noemie odette odile olivier oscar pascal pascale patrice patricia patrick paul paulette philippe pierre
    quentin rachid raphael raymond regine remi rene renee richard robert roger roland romain rose sabine samia
    samir samuel sandrine sarah sebastien serge severine simon simone sofia sophie stephane stephanie suzanne
    sylvain sylvie thierry thomas timothee tom valentin valerie vanessa veronique victor vincent virginie
    xavier yann yannick yasmine yves yvette yvonne zoe emile jose noel noelle remy therese""".split()
)
# The common first names written with accents (casefolded), as `FIRST_NAMES` folds them: a word written
# with other accents is another word (« Dénis de justice », « Marié »).
ACCENTED_FIRST_NAMES = frozenset(
    """agnès aïcha amélie anaïs andré andrée angélique aurélie aurélien benoît cécile céline chloé clément
    éliane élise élodie éloïse émilie étienne françois françoise frédéric gaëlle geneviève gérard gilberte
    gisèle hélène inès irène jérémy jérôme joëlle léa léo léon lucienne maël mélanie michèle mickaël noé
    noémie raphaël régine rémi rené renée sébastien séverine stéphane stéphanie timothée valérie véronique
    zoé éric émile hervé rémy josé noël noëlle thérèse""".split()
)
# Common first names that are also words of the language written in lower case (« en pierre », « claire »,
# « à noël », « un jean »): written so, the word; with a capital, or in a text all in capitals, maybe the name.
WORD_FIRST_NAMES = frozenset(
    """ambre aurore benjamin capucine charlotte claire clement florence jade jean julien madeleine marc
    marguerite marine maxime noel olivier pierre richard romain rose""".split()
)


@cache
def other_first_names() -> frozenset[str]:
    """First names beyond `FIRST_NAMES`, in lower case as written (« oksana », « joão », « salomé »), none a
    word the French lemmatizer knows nor a French town (`bench/dev/first_names.py` writes the list, from
    Faker's and a hand-written one): for the masking, which reads a name by the words around it."""
    return frozenset(_first_names_file())


@cache
def french_first_names() -> frozenset[str]:
    """Those of `other_first_names` given in French-speaking countries (« franck », « mathis »), which the
    masking reads as it reads `FIRST_NAMES`."""
    return frozenset(name for name, french in _first_names_file().items() if french)


@cache
def _first_names_file() -> dict[str, bool]:
    """`data/first_names.txt`: each first name, and whether it is given in French-speaking countries."""
    text = files("atelier.nlp").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {row[0]: row[1:] == ["fr"] for row in rows}
