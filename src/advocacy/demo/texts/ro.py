"""Romanian phrases (Romania and Moldova).

Products appear as objects ("am comandat friteuza") or before a dash, never as the subject of
a verb, so nothing has to agree with a product's gender or number.
"""

from __future__ import annotations

from advocacy.demo.texts.bank import PhraseBank, parse_phrases
from advocacy.demo.texts.ro_messages import MESSAGES


def _days(n: int) -> str:
    if n == 1:
        return "o zi"
    if n == 7:
        return "o săptămână"
    if n == 14:
        return "două săptămâni"
    if n >= 20:
        return f"{n} de zile"
    return f"{n} zile"


_PHRASES = """
[but]
Dar
Totuși,
Singurul minus:
Pe de altă parte,
Doar că

[still]
În schimb,
Totuși,
Ca plus,
Ca să fiu {g:corect|corectă},
Pe de altă parte,

[open+]
Foarte {g:mulțumit|mulțumită} de comandă.
O experiență excelentă, de la început până la sfârșit.
Sincer, unul dintre cele mai bune magazine online de la care am cumpărat.
Totul a fost perfect.
E a treia comandă la {brand} și sunt la fel de {g:încântat|încântată}.
N-am nimic de reproșat.
Servicii impecabile.
Totul a mers ca pe roate.
Recomand {brand} cu toată încrederea.
Aveam emoții să comand de la un magazin necunoscut, dar nu regret deloc.
Magazin bun, oameni de treabă.

[open~]
În general, bine.
Ok, nimic special.
Nici bine, nici rău.
A fost în regulă, cu mici probleme.
Per total, decent.
Și-au făcut treaba, dar e loc de mai bine.
O experiență obișnuită.
Acceptabil.

[open-]
Foarte {g:dezamăgit|dezamăgită}.
Deloc {g:mulțumit|mulțumită}, sincer.
Ce bătaie de cap.
Mă așteptam la mult mai mult de la {brand}.
De data asta, o experiență proastă.
Foarte frustrant.
Nu mai comand de aici prea curând.
Mi s-a promis altceva.
Nici nu știu de unde să încep.
Dacă aveți nevoie de ceva la timp, căutați alt magazin.

[delivery+]
Livrare rapidă, comanda a ajuns cu o zi mai devreme decât mi s-a spus.
Am primit {product} la timp, cu un ambalaj foarte bun.
Livrare a doua zi, cum au promis, iar curierul foarte amabil.
Livrare rapidă și un tracking care chiar se actualizează.
Am comandat duminică seara și marți dimineață aveam deja {product}.
Livrarea a fost punctuală, m-au anunțat chiar și intervalul de o oră.
Coletul a ajuns mai repede decât mă așteptam, o surpriză plăcută.
Coletul a venit repede și în stare perfectă.

[delivery-]
Comanda a ajuns cu {days} întârziere.
Am primit {product} cu {days} după data promisă.
Livrarea a întârziat {days} și nimeni nu mi-a explicat de ce.
Am așteptat {product} cu {days} mai mult decât mi s-a promis.
Mi-au dat o dată de livrare și coletul a venit cu {days} mai târziu.
Coletul cu {model} a stat în depozit {days}.
În tracking scria „în curs de livrare” de {days}.
A durat cu {days} mai mult decât au spus și a trebuit să sun eu după colet.
Până la urmă am primit {product} cu {days} întârziere, când deja nu mai aveam nevoie.

[delivery~]
Livrarea durează destul de mult, deși au respectat termenul.
Termenul de livrare ar putea fi mai scurt.
Intervalul de livrare e foarte vag.
Ar fi util un curier rapid mai ieftin.
Curierul a lăsat coletul la vecini fără să mă întrebe.

[lost-]
Comanda nu a mai ajuns niciodată.
Încă aștept {product}, iar trackingul nu s-a mai mișcat de zile bune.
În tracking apare livrat, dar la mine n-a ajuns nimic.
Coletul a dispărut undeva între depozit și casa mea.
Tot aștept {product}, termenul de livrare a trecut de mult.
Comanda {order} s-a pierdut și nimeni nu mă ajută.

[quality+]
{product} — calitate excelentă pentru prețul ăsta.
Finisaje foarte bune, se simte calitatea.
Folosesc {product} zilnic și merge perfect. @electric
Folosesc {product} zilnic și e ca în prima zi.
{model} face exact ce promite. @electric,cookware
Calitatea e mult peste ce mă așteptam.
Arată superb în bucătărie și funcționează și mai bine. @electric
Face puțin zgomot, ține bine și se curăță ușor. @electric
Calitate de nota 10.
Material moale și gros, iar după multe spălări arată ca nou. @textile
Se încălzește uniform și nu se lipește nimic. @cookware

[quality-]
După {used} de folosire a apărut un defect la {product}. @electric
Produsul a venit deteriorat.
{model} — carcasa era crăpată din cutie. @electric
Calitate slabă: {product} — după o săptămână, direct la gunoi.
Scoate un zgomot groaznic. @electric
Lipsea o piesă din cutie. @electric,cookware
Produsul a venit zgâriat și lovit. @electric,cookware
La a doua folosire a început să miroasă a plastic ars. @electric
După câteva folosiri, {model} s-a stricat. @electric
Cusăturile s-au desfăcut după prima spălare. @textile
S-a decolorat și a intrat la apă după spălare. @textile
Stratul antiaderent a început să se cojească după {used}. @cookware
A venit cu o ciobitură. @cookware

[quality~]
{product} — e ok, dar finisajul pare ieftin.
Calitatea e ok pentru preț, nimic special.
Își face treaba, dar finisajele puteau fi mai bune.
Plasticul pare fragil. @electric
Materialul e mai subțire decât în poze. @textile

[price+]
Prețuri foarte bune.
Mai ieftin decât oriunde am mai căutat.
Raport calitate-preț foarte bun.
Am prins {product} la reducere, chilipir.
Prețuri corecte și fără costuri ascunse la livrare.

[price-]
Cam scump față de alte magazine.
Taxa de livrare e prea mare pentru comenzi mici.
După o săptămână am văzut {product} mai ieftin în altă parte.
Prețurile au crescut mult de la prima mea comandă.
Prea scump pentru ce oferă.

[support+]
Serviciul clienți e super, {agent} mi-a rezolvat totul dintr-un telefon.
Mi-au răspuns în mai puțin de o oră și au rezolvat problema.
Echipa de suport a fost politicoasă și chiar de ajutor.
{agent} de la serviciul clienți a fost de nota 10.
Am avut o întrebare despre comandă și mi-au răspuns imediat.
Când ceva a mers prost, au rezolvat repede, fără discuții.

[support-]
Serviciul clienți e inutil, a trebuit să scriu de mai multe ori.
Nu răspunde nimeni la telefon, iar la mailuri primești răspunsuri automate.
Mi-au promis că mă sună înapoi și n-a sunat nimeni.
Am explicat problema de trei ori la trei oameni diferiți.
Chatbotul te învârte în cerc.
Foarte greu să primești un răspuns clar de la suport.

[usability+]
Am configurat {product} foarte ușor.
Aplicația pentru {model} e simplă și merge bine.
În cinci minute totul era pus în funcțiune.
Foarte intuitiv, n-a fost nevoie de manual.

[usability-]
Configurarea pentru {product} a fost un coșmar.
Aplicația pentru {model} se deconectează întruna.
Instrucțiunile pentru {model} sunt de neînțeles.
N-am reușit să conectez {product} la aplicație.
Aplicația cere cont și o grămadă de permisiuni doar ca să pornești dispozitivul.

[returns+]
Am returnat {product} foarte ușor și banii au venit repede.
Retur fără bătăi de cap, curierul a ridicat coletul de acasă.
Banii au intrat în cont în câteva zile.

[returns-]
Rambursarea a durat câteva săptămâni.
Returul pentru {product} a fost mult mai complicat decât ar trebui.
Încă aștept banii pentru {product}.
A trebuit să plătesc eu transportul pentru retur, deși produsul era defect.

[range+]
Ofertă foarte bună de produse pentru bucătărie.
Găsești lucruri care nu sunt în magazinele obișnuite.
Gamă variată, iar descrierile produselor sunt corecte.

[site-]
Site-ul merge greu și căutarea nu găsește nimic.
Aplicația s-a blocat de două ori când plăteam.
La finalizarea comenzii mi-a cerut adresa de trei ori.
Site-ul mă deloga când ajungeam la plată.

[showroom+]
Showroomul e superb, poți încerca totul înainte să cumperi.
Personalul din showroom, foarte amabil și pregătit.
Un loc plăcut, iar cafeneaua din showroom e un bonus.
Ne-au făcut o demonstrație cu espressoarele și ne-au lăsat să gustăm tot.
Parcare ușor de găsit și nimeni nu te presează să cumperi.
Showroom amenajat frumos, seamănă mai mult cu o cafenea decât cu un magazin.

[showroom-]
Prea puțini angajați, am așteptat foarte mult.
Jumătate din produsele expuse nu erau pe stoc.
Prețurile din showroom erau mai mari decât pe site.
Cafeneaua era închisă și nimeni nu ne-a spus de ce.
Vânzătorii stăteau mai mult pe telefon decât să ajute.

[detail:delivery-]
Nimeni nu s-a obosit să mă anunțe de întârziere.
Era un cadou de ziua cuiva.
Mi-am luat liber de la serviciu ca să aștept curierul.
În tracking scria „în tranzit” tot timpul.
Curierul a zis că nu era nimeni acasă, dar eu eram.
A trebuit să sun de două ori doar ca să aflu unde e coletul.
Și am plătit în plus pentru livrare rapidă.

[detail:delivery-biz]
Ne trebuia pentru deschidere și a trebuit să improvizăm.
Ne-a costat o săptămână de vânzări.
Clienții au observat, unul ne-a lăsat chiar o recenzie proastă.
Tot biroul aștepta comanda asta.
A trebuit să anulăm o rezervare pentru că nu erau camerele gata.

[detail:lost-]
La serviciul clienți mi se spune de fiecare dată să mai aștept 48 de ore.
Curierul zice că e problema voastră, voi că e a lor.
În punctul ăsta vreau doar banii înapoi.

[detail:quality-]
Am trimis poze și aștept înlocuirea.
Era un cadou, a fost jenant.
Pare un lot defect.
Am citit apoi recenziile și nu sunt singurul caz.

[detail:quality+]
Am recomandat deja magazinul surorii mele.
Am mai făcut o comandă identică pentru părinți.
Folosesc produsul în fiecare dimineață.

[detail:support-]
Ultimul meu mail a rămas fără răspuns.
De fiecare dată mi se spune că mă sună cineva.

[detail:support+]
Mulțumiri speciale pentru {agent}.
Produsul de schimb a venit după două zile.

[detail:usability-]
Până la urmă m-am uitat pe YouTube ca să înțeleg.
Manualul are doar desene.

[close+]
Mulțumesc, {brand}!
Sigur mai comand.
Tot așa!
Deja mă gândesc la următoarea comandă.
Nota 10.
Recomand.
Mulțumesc mult.

[close~]
Aș mai comanda dacă prețul e bun.
Se poate și mai bine.
Sper să se îmbunătățească.
Poate mai comand.

[close-]
Vă rog să rezolvați.
Nu mai comand de la {brand}.
Foarte {g:dezamăgit|dezamăgită}.
Aș vrea să mă sune cineva în legătură cu asta.
O să le spun prietenilor să cumpere de altundeva.
Așa nu se poate.

[short+]
Totul perfect
Rapid și la preț bun
Super, mulțumesc
Foarte {g:mulțumit|mulțumită}
Excelent ca de obicei
Livrare fulger
Recomand cu drag
Nota 10

[short~]
Ok
Bine
Decent
Se poate mai bine
Așa și așa

[short-]
{g:Nemulțumit|Nemulțumită}
Dezamăgitor
Dezastru
Slab
Nu e ok

[title+]
Servicii excelente
Super {product}
Rapid și de încredere
Magazin de recomandat
Mai comand sigur
Raport calitate-preț excelent
Exact ca în descriere
Recomand {brand}
{model} — cea mai bună achiziție
Cinci stele

[title~]
Bine, dar se poate mai bine
Ok, nimic mai mult
Acceptabil pentru preț
Experiență mixtă

[title-]
Nu recomand
Nu vă bateți capul
Dezamăgitor
Bani aruncați
Niciodată
Slab

[short:delivery-]
Iar cu întârziere
A ajuns târziu
Foarte lent

[short:lost-]
Nu a mai ajuns
Încă aștept

[short:quality-]
Produs cu defect
Calitate slabă

[short:support-]
Servicii groaznice
Suportul nu răspunde

[title:delivery~]
Bine, dar livrarea durează
Bun, dar lent

[title:delivery-]
Livrare întârziată și zero informații
A ajuns cu {days} întârziere
Lent, foarte lent

[title:lost-]
Încă îmi aștept comanda
Colet pierdut, niciun ajutor

[title:quality-]
Produs cu defect
{model} defect
Calitate slabă

[title:support-]
Serviciu clienți groaznic
Suportul e inutil

"""

BANK = PhraseBank(
    language="ro",
    phrases=parse_phrases(_PHRASES + MESSAGES),
    days=_days,
    anonymous="Client",
)
