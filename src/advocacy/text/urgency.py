"""Urgency: feedback that needs a person today, with the reasons why.

An item is urgent when its text is negative *and* says something that cannot wait: a legal
threat, a safety problem, a customer leaving or cancelling, money taken wrongly, a problem that
keeps coming back, a threat to go public, or a vulnerable customer. Each reason is a list of terms
in every language (syntax in :mod:`advocacy.text.patterns`). The sentiment gate is what keeps a
glowing "urgent recommendation: go there now!" from being flagged, and a negative text without
any of the reasons is unhappy, not urgent: it is followed up, but not first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advocacy.text.patterns import TermSet, fold

#: Reason code → terms in English, Spanish, Russian and Romanian.
REASONS: Mapping[str, Sequence[str]] = {
    "legal_threat": [
        "lawyer*", "attorney*", "solicitor*", "sue", "suing", "lawsuit*", "legal action", "court",
        "small claims", "trading standards", "consumer protection", "ombudsman", "regulator",
        "report you", "class action",
        "abogad*", "demanda*", "denuncia*", "denunciar", "juzgado*", "tribunal*", "juicio",
        "consumo", "omic", "facua", "ocu", "hoja de reclamaciones", "via judicial", "accion legal",
        "юрист*", "адвокат*", "суд", "суда", "суде", "судом", "в суд", "судебн*", "иск*",
        "прокуратур*", "роспотребнадзор*", "жалоб* в цб", "центробанк*", "цб рф", "претензи*",
        "финансов* омбудсмен*", "полици*",
        "avocat*", "instanta", "in instanta", "judecat*", "proces*", "anpc", "plangere penala",
        "protectia consumatorului", "sesizare*", "politie", "politia",
    ],
    "safety": [
        "fire", "caught fire", "burn*", "injur*", "hurt", "hospital", "allergic", "allergy",
        "food poisoning", "poison*", "electric shock", "shock", "smoke", "exploded", "explosion",
        "dangerous", "unsafe", "choking", "sick", "vomit*", "mold", "mould",
        "incendi*", "fuego", "quemadur*", "quemo", "herid*", "lesion*", "hospital*", "alergi*",
        "intoxicaci*", "envenen*", "descarga electrica", "humo", "exploto", "peligros*",
        "vomit*", "moho",
        "пожар*", "загорел*", "ожог*", "обжег*", "травм*", "больниц*", "аллерги*", "отравлени*",
        "отравил*", "ударило током", "удар током", "дым*", "взорвал*", "опасн*", "рвот*",
        "плесен*",
        "incendiu*", "foc", "arsur*", "ranit*", "accidentat*", "spital*", "alergi*", "intoxicat*",
        "otravit*", "electrocut*", "fum", "a explodat", "periculos*", "voma", "mucegai*",
    ],
    "cancellation": [
        "cancel my account", "close my account", "cancel my subscription", "cancelling",
        "canceling", "cancelled my", "unsubscribe", "leaving you", "switching to", "switch to",
        "moving to", "never again", "never use", "never order", "never buy", "last time",
        "lost a customer", "take my business elsewhere",
        "dar de baja", "darme de baja", "baja", "cancelar mi cuenta", "cancelar la suscripcion",
        "cerrar mi cuenta", "nunca mas", "me cambio", "cambiarme a", "ultima vez",
        "perdido un cliente",
        "закрыть счет", "закрою счет", "закрыл* счет", "закрыть карт*", "расторг*",
        "отказаться от услуг*", "откажусь", "ухожу", "уйду", "перейду", "больше никогда",
        "ноги моей", "последний раз", "потеряли клиента",
        "inchid contul", "inchide contul", "inchis contul", "reziliez", "reziliere", "anulez",
        "dezabonez", "niciodata", "nu mai comand", "nu mai cumpar", "ultima data",
        "ati pierdut un client", "trec la",
    ],
    "money_taken": [
        "charged twice", "double charged", "charged me twice", "overcharged", "unauthori*",
        "fraud*", "scam*", "stole", "stolen", "theft", "money taken", "took my money",
        "still waiting for my refund", "no refund", "chargeback",
        "cobrado dos veces", "cobraron dos veces", "cobrar dos veces", "doble cargo",
        "cobro indebido", "cobro duplicado", "fraude*", "estafa*", "timo", "robo", "robado",
        "me robaron", "sin reembolso",
        "списали дважды", "двойное списание", "списали деньги", "несанкционирован*",
        "мошенни*", "мошенн*", "обман*", "развод*", "украли", "кража", "деньги не вернули",
        "не вернули деньги",
        "taxat de doua ori", "debitat de doua ori", "dubla taxare", "frauda*", "inselatori*",
        "tepe", "teapa", "furt", "furat*", "nu mi-au returnat banii", "banii nu au fost returnati",
    ],
    "repeated_failure": [
        "again", "third time", "second time", "fourth time", "still not", "still no",
        "still waiting", "every time", "keeps happening", "for weeks", "for months", "repeatedly",
        "multiple times", "several times", "how many times", "yet again",
        "otra vez", "de nuevo", "tercera vez", "segunda vez", "cuarta vez", "todavia no",
        "aun no", "sigo esperando", "cada vez", "varias veces", "semanas", "meses",
        "снова", "опять", "в очередной раз", "второй раз", "третий раз", "в третий раз",
        "до сих пор", "всё ещё", "все еще", "каждый раз", "несколько раз", "неделями",
        "месяцами", "который раз", "сколько можно",
        "din nou", "iar", "inca o data", "a doua oara", "a treia oara", "tot nu", "inca nu",
        "inca astept", "de fiecare data", "de mai multe ori", "de cateva ori", "saptamani",
        "luni de zile",
    ],
    "public_escalation": [
        "social media", "twitter", "facebook", "tiktok", "news", "press", "journalist*",
        "everyone i know", "tell everyone", "warn everyone", "warn others", "bad review",
        "redes sociales", "prensa", "periodist*", "avisar a todos", "contare a todos",
        "соцсет*", "сми", "журналист*", "расскажу всем", "предупреждаю всех", "отзовик*",
        "retele sociale", "retelele sociale", "presa", "jurnalist*", "avertizez pe toti",
        "spun tuturor",
    ],
    "vulnerable_customer": [
        "elderly", "pensioner", "disabled", "disability", "wheelchair", "pregnant", "my baby",
        "my child", "medical", "medication", "insulin",
        "anciano*", "jubilad*", "pensionista*", "discapacidad*", "silla de ruedas",
        "embarazada", "mi bebe", "mi hijo", "mi hija", "medicament*", "insulina",
        "пенсионер*", "инвалид*", "коляск*", "беремен*", "ребенок", "ребенка", "лекарств*",
        "инсулин*",
        "pensionar*", "batran*", "handicap*", "dizabilit*", "carucior*", "insarcinata",
        "copilul meu", "bebelus*", "medicament*", "insulina",
    ],
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Urgency:
    """Whether an item is urgent, and every reason found (urgent or not)."""

    urgent: bool
    reasons: tuple[str, ...]


class UrgencyRules:
    """Reason codes with their terms, compiled; :meth:`assess` gates them on sentiment.

    Examples
    --------
    >>> rules = UrgencyRules()
    >>> rules.assess("I will call my lawyer, you charged me twice!", "negative")
    Urgency(urgent=True, reasons=('legal_threat', 'money_taken'))
    >>> rules.assess("Urgent recommendation: go there now, the staff is wonderful", "positive")
    Urgency(urgent=False, reasons=())
    """

    def __init__(self, reasons: Mapping[str, Sequence[str]] = REASONS) -> None:
        self.terms = TermSet.of(reasons)

    def reasons_in(self, text: str) -> tuple[str, ...]:
        """Every reason code whose terms appear in ``text``."""
        return tuple(self.terms.names_in(fold(text)))

    def assess(self, text: str, sentiment: str | None) -> Urgency:
        """Urgent when ``sentiment`` is "negative" and the text gives at least one reason.

        The reasons are reported only for negative texts: in a positive or neutral one the same
        words ("again", "never again") mean something else.
        """
        if sentiment != "negative":
            return Urgency(False, ())
        reasons = self.reasons_in(text)
        return Urgency(bool(reasons), reasons)
