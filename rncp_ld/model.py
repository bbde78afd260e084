"""The typed model every reader produces and every writer consumes.

A :class:`Certification` is one RNCP or RS fiche, whatever its source (legacy
"Résumé descriptif" text, France Compétences XML V4.1, CSV zip). Values are
normalised (ISO dates, booleans, integers); the raw text of long fields is kept
next to the items split out of it. This module imports nothing from rncp_ld.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "AccessRoute",
    "AccessRouteKind",
    "Block",
    "BlockResult",
    "Candidate",
    "CapacityGroup",
    "Certification",
    "Code",
    "Correspondence",
    "Decision",
    "LegalText",
    "LegalTextKind",
    "Organisation",
    "Partner",
    "Provenance",
    "RegistrationPeriod",
    "Registry",
    "Statistic",
]


class Registry(str, enum.Enum):
    """The register a fiche belongs to."""

    RNCP = "RNCP"
    RS = "RS"


class AccessRouteKind(str, enum.Enum):
    """The six access routes ("voies d'accès") of a fiche, keyed as in the XML export."""

    FI = "FI"
    """Formation initiale: after a course as a pupil or student."""
    CA = "CA"
    """Contrat d'apprentissage."""
    FC = "FC"
    """Formation continue."""
    CQ = "CQ"
    """Contrat de professionnalisation."""
    CL = "CL"
    """Candidature individuelle."""
    VAE = "VAE"
    """Validation des acquis de l'expérience."""

    @property
    def label(self) -> str:
        """The French label used by France Compétences."""
        return _ROUTE_LABELS[self]


_ROUTE_LABELS = {
    AccessRouteKind.FI: "Après un parcours de formation sous statut d'élève ou d'étudiant",
    AccessRouteKind.CA: "En contrat d'apprentissage",
    AccessRouteKind.FC: "Après un parcours de formation continue",
    AccessRouteKind.CQ: "En contrat de professionnalisation",
    AccessRouteKind.CL: "Par candidature individuelle",
    AccessRouteKind.VAE: "Par expérience",
}


class LegalTextKind(str, enum.Enum):
    """Where a legal text sits in the fiche's legal basis ("base légale")."""

    GENERAL = "general"
    """Décret général (XML PUBLICATION_DECRET_GENERAL)."""
    CREATION = "creation"
    """Creation or first registration act (PUBLICATION_DECRET_CREATION)."""
    VAE = "vae"
    """Décret or arrêté on VAE (legacy fiches only)."""
    OTHER = "other"
    """Other texts (PUBLICATION_DECRET_AUTRE, legacy "Références autres")."""


@dataclass(frozen=True, slots=True)
class Code:
    """A code of an external classification (ROME, NSF, Formacode, CCN) with its label."""

    code: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fiche was read from."""

    source: str
    """File name of the source (no directory)."""
    format: str
    """Reader that produced it: ``legacy-text``, ``fc-xml`` or ``fc-csv``."""
    export_date: date | None = None
    """Date of the export, from the file name when it carries one."""
    flux_version: str | None = None
    """VERSION_FLUX of an XML export."""
    line: int | None = None
    """Line where the fiche starts in the source, when known."""


@dataclass(frozen=True, slots=True)
class Organisation:
    """A certifier ("certificateur", "autorité responsable")."""

    name: str
    siret: str | None = None
    """14-digit SIRET, validated by the reader."""
    commercial_name: str | None = None
    website: str | None = None
    active: bool | None = None
    status_date: date | None = None
    signatory: str | None = None
    """Quality of the signatory of the certification (legacy fiches)."""


@dataclass(frozen=True, slots=True)
class Partner:
    """A body empowered to prepare or assess ("organisme habilité")."""

    name: str
    siret: str | None = None
    habilitation: str | None = None
    """HABILITATION_FORMER, HABILITATION_ORGANISER or HABILITATION_ORGA_FORM."""
    state: str | None = None
    """Actif, Inactif or Supprimé."""
    active_date: date | None = None
    status_date: date | None = None


@dataclass(frozen=True, slots=True)
class CapacityGroup:
    """A lettered group of "capacités attestées" of a legacy fiche (A, B, C…)."""

    letter: str
    title: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A block of competences ("bloc de compétences"), a partial qualification."""

    code: str
    """Block code such as ``RNCP16575BC01``."""
    title: str
    number: int | None = None
    competences: tuple[str, ...] = ()
    """Competence items split from the competence list."""
    competences_text: str | None = None
    """The competence list as given."""
    assessments: tuple[str, ...] = ()
    """Assessment methods split into items."""
    assessments_text: str | None = None
    optional: bool = False
    """True for a "bloc facultatif"."""
    entry_prerequisites: str | None = None
    validation_prerequisites: str | None = None
    capacities: CapacityGroup | None = None
    """The legacy capacity group whose title matches this block."""


@dataclass(frozen=True, slots=True)
class AccessRoute:
    """One access route with its jury."""

    kind: AccessRouteKind
    open: bool
    jury: str | None = None
    modified: date | None = None
    note: str | None = None
    """Qualifier given with the route, e.g. "dispositif VAE prévu en 2007"."""


@dataclass(frozen=True, slots=True)
class LegalText:
    """A legal text of the fiche's legal basis (arrêté, décret, JO publication)."""

    kind: LegalTextKind
    title: str
    signed: date | None = None
    """Date of the act itself ("Arrêté du 23 février 2007")."""
    published: date | None = None
    """Date of publication in the Journal officiel."""


@dataclass(frozen=True, slots=True)
class RegistrationPeriod:
    """A period of registration in the register."""

    start: date | None
    end: date | None
    years: int | None = None
    level: str | None = None
    """Level stated by the registering act (e.g. "III")."""
    title: str | None = None
    """Title under which the certification was registered, when stated."""
    act: LegalText | None = None
    """The legal text that made the registration."""


@dataclass(frozen=True, slots=True)
class Statistic:
    """Statistics of a promotion year, or a free statement from a legacy fiche."""

    year: int | None = None
    certified: int | None = None
    certified_vae: int | None = None
    insertion_rate_6_months: int | None = None
    job_insertion_rate_6_months: int | None = None
    job_insertion_rate_2_years: int | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Correspondence:
    """An equivalence between blocks of this fiche and another fiche."""

    target: str
    """NUMERO_FICHE of the other fiche."""
    source_blocks: tuple[str, ...] = ()
    target_blocks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Certification:
    """One fiche of the RNCP or the RS."""

    number: str
    """NUMERO_FICHE with its prefix, e.g. ``RNCP16575`` or ``RS5000``."""
    title: str
    provenance: Provenance
    fiche_id: int | None = None
    abbreviation: Code | None = None
    """Type of diploma (ABREGE), e.g. ``BTS``."""
    status: str | None = None
    """ETAT_FICHE, e.g. "Publiée"."""
    active: bool | None = None
    level: int | None = None
    """Level of the national framework (2019), equal to the EQF level; None when none."""
    level_label: str | None = None
    level_1969: str | None = None
    """Level in the 1969 nomenclature (I to V), legacy fiches."""
    nsf: tuple[Code, ...] = ()
    formacodes: tuple[Code, ...] = ()
    rome: tuple[Code, ...] = ()
    ccn: tuple[Code, ...] = ()
    certifiers: tuple[Organisation, ...] = ()
    partners: tuple[Partner, ...] = ()
    objectives: str | None = None
    activities_text: str | None = None
    activities: tuple[str, ...] = ()
    capacities_text: str | None = None
    capacities: tuple[str, ...] = ()
    """Capacity items split from the capacities text, when it is not grouped."""
    capacity_groups: tuple[CapacityGroup, ...] = ()
    sectors_text: str | None = None
    sectors: tuple[str, ...] = ()
    jobs_text: str | None = None
    jobs: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    components_text: str | None = None
    """Legacy "Descriptif des composantes de la certification"."""
    validation_text: str | None = None
    """How the certification is validated (VAE, global or by blocks)."""
    validation_items: tuple[str, ...] = ()
    components_validity: str | None = None
    access_routes: tuple[AccessRoute, ...] = ()
    new_caledonia: bool | None = None
    french_polynesia: bool | None = None
    legal_texts: tuple[LegalText, ...] = ()
    registrations: tuple[RegistrationPeriod, ...] = ()
    registration_type: str | None = None
    registration_years: int | None = None
    decision_date: date | None = None
    effective_date: date | None = None
    end_date: date | None = None
    """End of the current registration (DATE_FIN_ENREGISTREMENT)."""
    publication_date: date | None = None
    last_jo_date: date | None = None
    delivery_deadline: date | None = None
    statistics: tuple[Statistic, ...] = ()
    urls: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    """Numbers of the fiches this one replaces."""
    replaced_by: tuple[str, ...] = ()
    correspondences: tuple[Correspondence, ...] = ()
    entry_prerequisites: str | None = None
    validation_prerequisites: str | None = None
    regulations: str | None = None
    partial_validation: bool | None = None
    partial_validation_scope: str | None = None
    mastery_level: str | None = None
    renewal_terms: str | None = None
    """How an RS certification is renewed (MODALITES_RENOUVELLEMENT)."""
    validity_duration: str | None = None
    """How long an RS certification stays valid (DUREE_VALIDITE), as given."""
    has_partners: bool | None = None
    """EXISTENCE_PARTENAIRES: whether bodies are empowered to prepare or assess."""
    level_years: tuple[int, ...] = ()
    """ANNEES_PROMOTIONS_NIVEAU: promotion years at the certification's level."""
    certification_places: tuple[str, ...] = ()
    preparation_places: tuple[str, ...] = ()
    history: str | None = None
    previous_titles: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())
    """Sections of a source the model has no field for, kept as (heading, text)."""

    @property
    def registry(self) -> Registry:
        """RNCP or RS, from the number's prefix."""
        return Registry.RS if self.number.startswith("RS") else Registry.RNCP

    @property
    def numeric_id(self) -> str:
        """The number without its prefix, e.g. ``16575``."""
        return self.number.removeprefix(self.registry.value)


class Decision(str, enum.Enum):
    """A jury's decision on one block."""

    ACQUIRED = "acquis"
    NOT_ACQUIRED = "non acquis"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person who sat the certification."""

    id: str
    """The certifier's own identifier of the candidate."""
    given_name: str
    family_name: str
    birth_date: date
    email: str


@dataclass(frozen=True, slots=True)
class BlockResult:
    """One row of a jury's results: a candidate's decision on one block."""

    candidate: Candidate
    certification: str
    """Fiche number, e.g. ``RNCP16575``."""
    block: str
    """Block code, e.g. ``RNCP16575BC01``."""
    decision: Decision
    decision_date: date
    access_route: str
    """The access route as written in the results (e.g. ``VAE``, ``formation continue``)."""
    line: int | None = None
    """Line of the row in the results file."""
