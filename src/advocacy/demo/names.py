"""First names and surnames per naming tradition, and the words business names are built from.

The lists are plain data. A tradition is a key such as ``"es"`` (Spain), ``"mx"`` (Mexico),
``"ru"``, ``"ro"``, ``"md"`` (Moldova, Romanian-speaking), ``"ru_md"`` (Moldova, Russian-speaking),
``"gb"`` and ``"us"``. Russian surnames are stored in the masculine form; ``feminine_surname``
derives the feminine one.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


_ES_MALE = _words(
    "Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel, Carlos, Jesús, Alejandro,"
    "Miguel, Rafael, Pablo, Sergio, Álvaro, Adrián, Jorge, Alberto, Raúl, Iván, Rubén, Óscar,"
    "Andrés, Hugo, Mario, Diego, Marcos, Gonzalo, Íñigo, Enrique, Ignacio, Joaquín, Víctor"
)
_ES_FEMALE = _words(
    "María, Carmen, Ana, Isabel, Laura, Lucía, Cristina, Marta, Elena, Sara, Paula, Raquel, Pilar,"
    "Beatriz, Rosa, Silvia, Patricia, Nuria, Irene, Alba, Andrea, Claudia, Noelia, Julia, Sofía,"
    "Mercedes, Inés, Montserrat, Rocío, Eva, Begoña, Ainhoa, Lorena, Marina"
)
_ES_SURNAMES = _words(
    "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Martín,"
    "Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro,"
    "Torres, Domínguez, Vázquez, Ramos, Gil, Ramírez, Serrano, Blanco, Molina, Morales, Suárez,"
    "Ortega, Delgado, Castro, Ortiz, Rubio, Marín, Sanz, Iglesias, Núñez, Medina, Garrido,"
    "Cortés, Castillo, Santos, Lozano, Guerrero, Cano, Prieto, Etxeberria, Vidal, Pascual"
)
_MX_MALE = _words(
    "José Luis, Juan Carlos, Luis, Jorge, Alejandro, Eduardo, Fernando, Ricardo, Arturo, Roberto,"
    "Héctor, Sergio, Raúl, Jesús, Miguel Ángel, Emiliano, Santiago, Mateo, Diego, Leonardo,"
    "Rodrigo, Iván, Gerardo, Francisco, Óscar, Alfredo, Ulises, Joaquín"
)
_MX_FEMALE = _words(
    "Guadalupe, María José, Fernanda, Alejandra, Gabriela, Daniela, Mariana, Verónica, Adriana,"
    "Claudia, Ximena, Valeria, Andrea, Patricia, Leticia, Rocío, Karla, Paola, Itzel, Brenda,"
    "Mónica, Sofía, Regina, Lorena, Diana, Yesenia, Araceli"
)
_MX_SURNAMES = _words(
    "Hernández, García, Martínez, López, González, Pérez, Rodríguez, Sánchez, Ramírez, Cruz,"
    "Flores, Gómez, Morales, Vázquez, Reyes, Jiménez, Torres, Díaz, Gutiérrez, Ruiz, Mendoza,"
    "Aguilar, Ortiz, Moreno, Castillo, Romero, Álvarez, Méndez, Chávez, Rivera, Juárez, Ramos,"
    "Domínguez, Herrera, Medina, Castro, Vargas, Guzmán, Velázquez, Salazar, Rojas, Contreras,"
    "Estrada, Cervantes, Villanueva, Zúñiga, Cuevas, Ochoa"
)
_RU_MALE = _words(
    "Александр, Дмитрий, Максим, Сергей, Андрей, Алексей, Артём, Илья, Кирилл, Михаил, Никита,"
    "Матвей, Роман, Егор, Иван, Владимир, Павел, Николай, Евгений, Денис, Олег, Игорь, Антон,"
    "Виктор, Юрий, Константин, Григорий, Тимур"
)
_RU_FEMALE = _words(
    "Анна, Мария, Елена, Ольга, Наталья, Татьяна, Ирина, Екатерина, Светлана, Юлия, Анастасия,"
    "Дарья, Ксения, Марина, Виктория, Алина, Полина, Валерия, Людмила, Галина, Вера, Надежда,"
    "Софья, Евгения, Кристина, Оксана, Елизавета"
)
_RU_SURNAMES = _words(
    "Иванов, Смирнов, Кузнецов, Попов, Васильев, Петров, Соколов, Михайлов, Новиков, Фёдоров,"
    "Морозов, Волков, Алексеев, Лебедев, Семёнов, Егоров, Павлов, Козлов, Степанов, Николаев,"
    "Орлов, Андреев, Макаров, Никитин, Захаров, Зайцев, Соловьёв, Борисов, Яковлев, Григорьев,"
    "Романов, Воробьёв, Сергеев, Кузьмин, Фролов, Дмитриев, Королёв, Гусев, Киселёв, Ильин,"
    "Максимов, Поляков, Сорокин, Виноградов, Ковалёв, Белов, Медведев, Антонов, Тарасов, Жуков,"
    "Баранов, Комаров, Давыдов, Беляев, Богданов, Осипов, Сидоров, Титов, Миронов, Крылов,"
    "Куликов, Карпов, Мельников, Денисов, Тихонов, Калинин, Громов, Лазарев, Голубев, Котов,"
    "Островский, Вишневский, Покровский, Яблонский, Залесский, Трубецкой, Шевченко, Коваленко,"
    "Бондаренко, Черных, Седых, Кравец"
)
_RU_MD_SURNAMES = _words(
    "Чебан, Лунгу, Русу, Кожокару, Ротару, Мунтяну, Гуцу, Чобану, Сырбу, Морару, Гросу, Урсу,"
    "Иванов, Петров, Кузнецов, Попов, Сидоров, Руденко, Ткаченко, Мельник, Бойко, Савченко"
)
_RO_MALE = _words(
    "Andrei, Alexandru, Mihai, Ion, Ionuț, Gheorghe, Constantin, Vasile, Florin, Cristian, Adrian,"
    "Marius, Bogdan, Răzvan, Ștefan, Gabriel, Daniel, Lucian, Sorin, Cătălin, Radu, Victor,"
    "Dragoș, Vlad, Tudor, Ovidiu, Cosmin, Liviu"
)
_RO_FEMALE = _words(
    "Maria, Elena, Ioana, Andreea, Ana, Mihaela, Cristina, Alexandra, Gabriela, Georgiana,"
    "Roxana, Simona, Raluca, Alina, Daniela, Ramona, Diana, Bianca, Oana, Irina, Larisa, Corina,"
    "Adriana, Camelia, Nicoleta, Ștefania, Loredana, Anca"
)
_RO_SURNAMES = _words(
    "Popescu, Ionescu, Popa, Pop, Radu, Dumitru, Stan, Stoica, Gheorghe, Matei, Ciobanu,"
    "Constantin, Mocanu, Rusu, Munteanu, Moldovan, Lazăr, Marin, Florea, Dinu, Tudor, Barbu, Ene,"
    "Toma, Nistor, Sârbu, Dobre, Ilie, Cristea, Stănescu, Nedelcu, Vasilescu, Diaconu, Oprea,"
    "Preda, Zamfir, Neagu, Dragomir, Ungureanu, Manole, Bălan, Tănase, Georgescu, Voicu,"
    "Petrescu, Niculescu, Țăranu, Bogdan"
)
_MD_MALE = _words(
    "Ion, Vasile, Victor, Sergiu, Veaceslav, Vitalie, Nicolae, Dumitru, Iurie, Valeriu, Andrei,"
    "Alexandru, Mihai, Igor, Eugen, Dorin, Octavian, Gheorghe, Constantin, Radu"
)
_MD_FEMALE = _words(
    "Ana, Natalia, Tatiana, Olga, Elena, Cristina, Victoria, Doina, Mariana, Ludmila, Aurelia,"
    "Lilia, Svetlana, Irina, Nadejda, Maria, Corina, Angela, Veronica, Galina"
)
_MD_SURNAMES = _words(
    "Rusu, Ceban, Ciobanu, Lungu, Țurcanu, Cojocaru, Botnaru, Munteanu, Sîrbu, Rotaru, Guțu,"
    "Roșca, Bujor, Cazacu, Popa, Moraru, Lupu, Melnic, Cebotari, Croitoru, Bîrcă, Ursu, Grosu,"
    "Casian, Tabac, Chiriac, Plămădeală, Donțu, Railean, Scutaru"
)
_GB_MALE = _words(
    "Oliver, Jack, Harry, George, James, Thomas, William, Daniel, Matthew, Samuel, Joseph, Luke,"
    "Benjamin, Adam, Ryan, Callum, Liam, Owen, Rhys, Connor, Jamie, Alfie, Charlie, Edward, Lewis,"
    "Mohammed, Arjun"
)
_GB_FEMALE = _words(
    "Olivia, Amelia, Emily, Sophie, Jessica, Charlotte, Grace, Lucy, Hannah, Chloe, Ellie, Megan,"
    "Holly, Laura, Rebecca, Katie, Eleanor, Isla, Poppy, Freya, Harriet, Abigail, Zoe, Rachel,"
    "Niamh, Priya, Aisha"
)
_GB_SURNAMES = _words(
    "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson,"
    "Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Patel, Khan, Lewis,"
    "James, Phillips, Mason, Mitchell, Rose, Turner, Hughes, Cooper, Hill, Ward, Morris, Moore,"
    "Clark, King, Baker, Harrison, Morgan, Allen, Scott, Watson, Campbell, Murphy, O'Brien,"
    "Kelly, Bennett, MacDonald, Shah"
)
_US_MALE = _words(
    "James, Michael, Robert, John, David, William, Richard, Joseph, Thomas, Christopher, Daniel,"
    "Matthew, Anthony, Mark, Joshua, Andrew, Kevin, Brian, Ryan, Jason, Tyler, Brandon, Justin,"
    "Ethan, Noah, Jose, Carlos, DeShawn, Wei"
)
_US_FEMALE = _words(
    "Mary, Jennifer, Linda, Elizabeth, Jessica, Sarah, Karen, Lisa, Nancy, Ashley, Emily,"
    "Michelle, Amanda, Stephanie, Melissa, Rebecca, Laura, Megan, Rachel, Samantha, Lauren,"
    "Madison, Olivia, Emma, Ava, Maria, Keisha, Mei"
)
_US_SURNAMES = _words(
    "Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez,"
    "Hernandez, Lopez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Thompson,"
    "White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Nguyen,"
    "Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell, Carter,"
    "Roberts, Kim, Patel, O'Connor, Sullivan, Murphy, Washington, Chen"
)

#: tradition -> (male first names, female first names, surnames)
PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "es": (_ES_MALE, _ES_FEMALE, _ES_SURNAMES),
    "mx": (_MX_MALE, _MX_FEMALE, _MX_SURNAMES),
    "ru": (_RU_MALE, _RU_FEMALE, _RU_SURNAMES),
    "ru_md": (_RU_MALE, _RU_FEMALE, _RU_MD_SURNAMES),
    "ro": (_RO_MALE, _RO_FEMALE, _RO_SURNAMES),
    "md": (_MD_MALE, _MD_FEMALE, _MD_SURNAMES),
    "gb": (_GB_MALE, _GB_FEMALE, _GB_SURNAMES),
    "us": (_US_MALE, _US_FEMALE, _US_SURNAMES),
}

#: tradition -> (patterns, words); ``{word}`` and ``{surname}`` are filled in.
# fmt: off
BUSINESSES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "es": (
        (
            "{word} S.L.", "Hostal {word}", "Restaurante {word}", "Cafetería {word}",
            "{surname} e Hijos S.L.", "Clínica Dental {surname}", "Apartamentos {word}",
            "Hotel {word}", "Coworking {word}", "Inmobiliaria {word} S.L.",
        ),
        _words(
            "El Olivo, La Encina, Mediterráneo, Sol y Mar, Los Arcos, La Plaza, Alameda, Montesol,"
            "Puerta Real, Casa Lola, La Ribera, Albaicín, Costa Brava, Las Dunas, Triana"
        ),
    ),
    "mx": (
        (
            "{word} S.A. de C.V.", "Hotel Casa {word}", "Taquería {word}", "Consultorio {surname}",
            "Oficinas {word} S.A. de C.V.", "Café {word}", "Grupo {surname}", "Hostal {word}",
        ),
        _words(
            "Jacaranda, El Mezquite, Tulum, Los Portales, Xochimilco, La Ceiba, Bugambilia,"
            "Santa Fe, El Zócalo, Coyoacán, Agave Azul, La Noria"
        ),
    ),
    "ru": (
        (
            "ООО «{word}»", "ИП {surname}", "Гостиница «{word}»", "Кафе «{word}»",
            "Хостел «{word}»", "Стоматология «{word}»", "Коворкинг «{word}»",
        ),
        _words(
            "Северный ветер, Уют, Берёзка, Мир техники, Домашний очаг, Парус, Вектор, Гранит,"
            "Альфа-Сервис, Восход, Радуга, Невский, Сибирь, Волна"
        ),
    ),
    "ru_md": (
        ("ООО «{word}»", "Кафе «{word}»", "Гостиница «{word}»", "ИП {surname}"),
        _words("Кодры, Днестр, Виноградная лоза, Уют, Парус, Вектор"),
    ),
    "ro": (
        (
            "{word} SRL", "Pensiunea {word}", "Hotel {word}", "Cafeneaua {word}",
            "Cabinet Stomatologic {surname}", "{surname} & Asociații SRL", "Restaurant {word}",
        ),
        _words(
            "Casa Verde, Dealul Morii, Trei Stejari, Bucovina, Carpați, Dunărea, Floare de Colț,"
            "Lacul Sărat, Cetatea, Valea Prahovei, Mărțișor, Ursul Brun"
        ),
    ),
    "md": (
        ("{word} SRL", "Î.I. {surname}", "Pensiunea {word}", "Cafeneaua {word}", "Hotel {word}"),
        _words("Codru, Nistru, Orheiul Vechi, Mileștii, Dor de Casă, Stejarul, Buciumul"),
    ),
    "gb": (
        (
            "{word} Ltd", "{surname} & Sons Ltd", "The {word} Café", "{word} Hotel",
            "{word} Lettings Ltd", "{surname} Dental Practice", "{word} Workspace",
        ),
        _words(
            "Riverside, Oakwood, Kingsway, Harbour View, Ashford, Greenfield, Northgate,"
            "Willow Lane, Castle Hill, Brightwater"
        ),
    ),
    "us": (
        (
            "{word} LLC", "{surname} Dental Group", "{word} Coworking Inc.",
            "{word} Property Management", "{word} Bistro", "{surname} & Partners LLC",
        ),
        _words(
            "Maple Street, Blue Ridge, Lakeside, Golden Gate, Pinecrest, Red Rock, Hudson,"
            "Cedar Park, Silver Creek, Sunset"
        ),
    ),
}
# fmt: on

# fmt: off
_RU_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# fmt: on


def feminine_surname(surname: str) -> str:
    """The feminine form of a Russian surname given in the masculine (Иванов → Иванова)."""
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    if surname.endswith("ой") and len(surname) > 4:
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


def transliterate(text: str) -> str:
    """Cyrillic letters written in Latin ones (the passport style), other letters kept."""
    out = []
    for char in text:
        latin = _RU_TO_LATIN.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)
