"""What the demo company (Vetra Home, an online home, kitchen and electronics shop) sells.

Each product carries how it is called in each language (so comments can name it the way a
customer would), how often it arrives faulty, whether people struggle to set it up, and how
much businesses buy it.
"""

from __future__ import annotations

from dataclasses import dataclass

BRAND = "Vetra Home"
BRAND_SHORT = "Vetra"
BRAND_HANDLE = "@VetraHome"


@dataclass(frozen=True, slots=True)
class Product:
    """One catalogue item and its names in English, Spanish, Russian and Romanian."""

    sku: str
    model: str  # brand and model, never translated: "Kelvo AF-500"
    en: str  # common noun: "air fryer"
    es: str  # with its article: "la freidora de aire"
    ru: str  # nominative: "кофемашина"
    ru_acc: str  # accusative, after "купил": "кофемашину"
    ro: str  # definite form: "friteuza cu aer cald"
    eur: float
    defect_rate: float = 0.02
    fiddly: bool = False  # an app or set-up people get stuck on
    business: float = 0.2  # how much more (or less) businesses buy it than consumers
    season: str = ""  # "winter" or "summer" when sales follow the weather
    kind: str = "electric"  # "electric", "cookware" or "textile": which complaints make sense

    @property
    def name(self) -> str:
        """The catalogue name, as it appears on orders: "Kelvo AF-500 Air Fryer"."""
        return f"{self.model} {self.en.title().replace('Usb', 'USB').replace('Led', 'LED')}"

    def noun(self, language: str) -> str:
        """The product's common noun in a language (Spanish with its article)."""
        return {"en": self.en, "es": self.es, "ru": self.ru, "ro": self.ro}[language]


# fmt: off
PRODUCTS: tuple[Product, ...] = (
    Product("KAF500", "Kelvo AF-500", "air fryer", "la freidora de aire", "аэрогриль",
            "аэрогриль", "friteuza cu aer cald", 89, 0.02),
    Product("KAF800", "Kelvo AF-800 XL", "air fryer", "la freidora de aire", "аэрогриль",
            "аэрогриль", "friteuza cu aer cald", 129, 0.025),
    Product("LUC3", "Lumo C3", "espresso machine", "la cafetera espresso", "кофемашина",
            "кофемашину", "espressorul", 249, 0.03, business=1.5),
    Product("LUG2", "Lumo Grind 2", "coffee grinder", "el molinillo de café", "кофемолка",
            "кофемолку", "râșnița de cafea", 59, 0.02),
    Product("VK17", "Vetra K17", "electric kettle", "el hervidor eléctrico", "электрочайник",
            "электрочайник", "fierbătorul electric", 35, 0.02, business=3.0),
    Product("BBL12", "Brava BL-1200", "blender", "la batidora de vaso", "блендер", "блендер",
            "blenderul", 79, 0.12),
    Product("OSM6", "Orsa SM-6", "stand mixer", "la amasadora", "планетарный миксер",
            "планетарный миксер", "mixerul planetar", 199, 0.025),
    Product("VPS3", "Vetra Pro 3", "non-stick pan set", "el juego de sartenes",
            "набор сковородок", "набор сковородок", "setul de tigăi", 69, 0.03, business=1.2,
            kind="cookware"),
    Product("VCI24", "Vetra Fonte 24", "cast-iron casserole", "la cazuela de hierro fundido",
            "чугунная кастрюля", "чугунную кастрюлю", "cratița din fontă", 79, 0.015,
            kind="cookware"),
    Product("VKS6", "Vetra Chef 6", "knife set", "el juego de cuchillos", "набор ножей",
            "набор ножей", "setul de cuțite", 89, 0.01, business=1.0, kind="cookware"),
    Product("KSC6", "Kelvo SC-6", "slow cooker", "la olla de cocción lenta", "медленноварка",
            "медленноварку", "aparatul slow cooker", 65, 0.02),
    Product("OT2", "Orsa T2", "toaster", "la tostadora", "тостер", "тостер",
            "prăjitorul de pâine", 39, 0.02, business=2.0),
    Product("VGC10", "Vetra Glass 10", "glass container set", "el set de recipientes de vidrio",
            "набор контейнеров", "набор контейнеров", "setul de caserole din sticlă", 29, 0.04,
            kind="cookware"),
    Product("BHB5", "Brava HB-5", "hand blender", "la batidora de mano", "погружной блендер",
            "погружной блендер", "blenderul vertical", 45, 0.03),
    Product("KMC9", "Kelvo MC-9", "multicooker", "la olla multifunción", "мультиварка",
            "мультиварку", "multicookerul", 119, 0.025, fiddly=True),
    Product("LMF1", "Lumo Froth", "milk frother", "el espumador de leche", "вспениватель молока",
            "вспениватель молока", "spumatorul de lapte", 39, 0.03, business=1.0),
    Product("NR7", "Nimbo R7", "robot vacuum", "el robot aspirador", "робот-пылесос",
            "робот-пылесос", "aspiratorul robot", 299, 0.06, fiddly=True),
    Product("NV12", "Nimbo V12", "cordless vacuum", "la aspiradora sin cable",
            "беспроводной пылесос", "беспроводной пылесос", "aspiratorul vertical", 229, 0.03),
    Product("AAP300", "Aeris AP-300", "air purifier", "el purificador de aire",
            "очиститель воздуха", "очиститель воздуха", "purificatorul de aer", 179, 0.02,
            fiddly=True, business=1.5),
    Product("AD20", "Aeris D20", "dehumidifier", "el deshumidificador", "осушитель воздуха",
            "осушитель воздуха", "dezumidificatorul", 189, 0.025, season="winter"),
    Product("VBL2", "Vetra Linen Duo", "bed linen set", "el juego de sábanas",
            "комплект постельного белья", "комплект постельного белья", "lenjeria de pat", 59,
            0.015, business=4.0, kind="textile"),
    Product("VWB7", "Vetra Calm 7", "weighted blanket", "la manta con peso",
            "утяжелённое одеяло", "утяжелённое одеяло", "pătura ponderată", 79, 0.015,
            kind="textile"),
    Product("VBT6", "Vetra Spa 6", "bath towel set", "el juego de toallas", "набор полотенец",
            "набор полотенец", "setul de prosoape", 35, 0.01, business=4.0, kind="textile"),
    Product("BTF90", "Brisa TF-90", "tower fan", "el ventilador de torre",
            "колонный вентилятор", "колонный вентилятор", "ventilatorul turn", 69, 0.03,
            season="summer", business=1.2),
    Product("TOR11", "Termo OR-11", "oil radiator", "el radiador de aceite", "масляный радиатор",
            "масляный радиатор", "caloriferul electric", 89, 0.03, season="winter"),
    Product("VSI24", "Vetra Steam 24", "steam iron", "la plancha de vapor", "утюг", "утюг",
            "fierul de călcat", 45, 0.025, business=1.5),
    Product("VMP1", "Vetra Cloud", "memory foam pillow", "la almohada viscoelástica",
            "ортопедическая подушка", "ортопедическую подушку", "perna cu memorie", 39, 0.01,
            business=2.5, kind="textile"),
    Product("LDL2", "Luma DL-2", "LED desk lamp", "el flexo LED", "настольная лампа",
            "настольную лампу", "lampa de birou", 49, 0.02, business=2.0),
    Product("SAIR", "Sonik Air", "wireless earbuds", "los auriculares inalámbricos",
            "беспроводные наушники", "беспроводные наушники", "căștile wireless", 79, 0.07),
    Product("SMAX", "Sonik Max", "over-ear headphones", "los cascos inalámbricos",
            "полноразмерные наушники", "полноразмерные наушники", "căștile over-ear", 149, 0.03),
    Product("SGO", "Sonik Go", "Bluetooth speaker", "el altavoz Bluetooth", "Bluetooth-колонка",
            "Bluetooth-колонку", "boxa Bluetooth", 59, 0.025),
    Product("VPB20", "Volta PB-20", "power bank", "la batería externa", "пауэрбанк",
            "пауэрбанк", "bateria externă", 35, 0.03, business=1.5),
    Product("VC65", "Volta C65", "USB-C charger", "el cargador USB-C", "зарядка USB-C",
            "зарядку USB-C", "încărcătorul USB-C", 29, 0.02, business=3.0),
    Product("HSP4", "Hexa Plug 4", "smart plug pack", "el pack de enchufes inteligentes",
            "набор умных розеток", "набор умных розеток", "prizele inteligente", 39, 0.03,
            fiddly=True),
    Product("HMR3", "Hexa Mesh 3", "mesh Wi-Fi system", "el sistema wifi mesh", "mesh-система",
            "mesh-систему", "sistemul Wi-Fi mesh", 199, 0.03, fiddly=True, business=2.5),
    Product("HCAM", "Hexa Cam", "indoor security camera", "la cámara de seguridad",
            "камера видеонаблюдения", "камеру видеонаблюдения", "camera de supraveghere", 49,
            0.05, fiddly=True, business=2.0),
    Product("PT10", "Pixa T10", "tablet", "la tablet", "планшет", "планшет", "tableta", 189,
            0.03, business=1.5),
    Product("PW2", "Pixa W2", "smartwatch", "el reloj inteligente", "смарт-часы", "смарт-часы",
            "ceasul inteligent", 129, 0.04, fiddly=True),
    Product("LSB4", "Luma Bulb 4", "smart bulb pack", "el pack de bombillas inteligentes",
            "набор умных ламп", "набор умных ламп", "becurile inteligente", 45, 0.03,
            fiddly=True),
    Product("VKS5", "Vetra Scale 5", "kitchen scale", "la báscula de cocina", "кухонные весы",
            "кухонные весы", "cântarul de bucătărie", 19, 0.02),
)
# fmt: on
