"""Fixed facts about writing to the House of Commons."""

from __future__ import annotations

#: Postage-free mailing address of every MP, by language.
HOUSE_OF_COMMONS_ADDRESS: dict[str, tuple[str, ...]] = {
    "en": ("House of Commons", "Ottawa, Ontario K1A 0A6"),
    "fr": ("Chambre des communes", "Ottawa (Ontario) K1A 0A6"),
}

#: Mail to an MP at the House of Commons needs no stamp when sent from Canada.
NO_POSTAGE_NOTE: dict[str, str] = {
    "en": "No postage is needed when mailed from within Canada.",
    "fr": "Aucun timbre n’est nécessaire pour un envoi posté au Canada.",
}

#: Party names as each language writes them.
PARTY_NAMES: dict[str, dict[str, str]] = {
    "Liberal": {"en": "Liberal", "fr": "libéral"},
    "Conservative": {"en": "Conservative", "fr": "conservateur"},
    "Bloc Québécois": {"en": "Bloc Québécois", "fr": "Bloc Québécois"},
    "NDP": {"en": "NDP", "fr": "NPD"},
    "Green": {"en": "Green", "fr": "vert"},
    "Independent": {"en": "Independent", "fr": "indépendant"},
}


def house_address_line(lang: str = "en") -> str:
    """The House of Commons address on one line."""
    return ", ".join(HOUSE_OF_COMMONS_ADDRESS[lang])
