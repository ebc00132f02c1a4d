"""Romanian phrases (Romania and Moldova).

Products appear as objects ("am comandat friteuza") or before a dash, never as the subject of
a verb, so nothing has to agree with a product's gender or number.
"""

from __future__ import annotations

from advocacy.demo.texts.bank import PhraseBank, parse_phrases


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
Folosesc {product} zilnic și merge perfect.
{model} face exact ce promite.
Calitatea e mult peste ce mă așteptam.
Arată superb în bucătărie și funcționează și mai bine.
Face puțin zgomot, ține bine și se curăță ușor.
Calitate de nota 10.

[quality-]
După {used} de folosire a apărut un defect la {product}.
Produsul a venit stricat.
{model} — capacul era crăpat din cutie.
Calitate slabă: {product} — după o săptămână, direct la gunoi.
Scoate un zgomot groaznic.
Lipsea o piesă din cutie.
Produsul a venit zgâriat și lovit.
La a doua folosire a început să miroasă a plastic ars.
{model} — s-a stricat după câteva folosiri.

[quality~]
{product} — e ok, dar finisajul pare ieftin.
Calitatea e ok pentru preț, nimic special.
Își face treaba, dar finisajele puteau fi mai bune.
Plasticul pare fragil.

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
N-am reușit să conectez {product} la wifi.
Aplicația cere cont și o grămadă de permisiuni doar ca să pornești dispozitivul.
Site-ul mă deloga când ajungeam la plată.

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
Ne trebuia pentru deschidere și a trebuit să împrumutăm unul de la vecini.
Ne-a costat o săptămână de vânzări la cafenea.
Oaspeții au stat câteva zile fără fierbător în camere.
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
Iar cu întârziere
Încă aștept
Nu a mai ajuns
Servicii groaznice
A venit stricat
Dezastru

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
Bine, dar livrarea durează

[title-]
Livrare întârziată și zero informații
Nu recomand
A venit stricat
Încă îmi aștept comanda
Serviciu clienți groaznic
Nu vă bateți capul
Dezamăgitor
Bani aruncați
Colet pierdut, niciun ajutor

[ticket_subject:where]
Unde este comanda {order}?
Comanda {order} nelivrată
Întârziere livrare comanda {order}
Încă aștept {product}
Livrare întârziată

[ticket_subject:lost]
Comanda {order} nu a ajuns
Colet marcat livrat, dar neprimit
Colet pierdut
Comandă pierdută, solicit rambursarea

[ticket_subject:broken]
Produs deteriorat la livrare
Produs defect: {model}
Problemă cu {model}
Produs stricat în comanda {order}

[ticket_subject:refund]
Rambursare pentru comanda {order}
Retur nerambursat
Status rambursare

[ticket_subject:invoice]
Solicitare factură - comanda {order}
Am nevoie de factură pe firmă
Date greșite ale firmei pe factură

[ticket_subject:address]
Schimbare adresă de livrare
Adresă greșită la comanda {order}

[ticket_subject:cancel]
Anulare comanda {order}
Vă rog să-mi anulați comanda

[ticket_subject:account]
Nu mă pot autentifica
Nu primesc mailul de resetare a parolei
Ștergere cont

[ticket_subject:setup]
Ajutor la configurarea pentru {product}
{model} nu se conectează la wifi
Problemă cu aplicația

[ticket_body:where]
Am comandat {product} pe {date} și trebuia să ajungă acum {days}. Îmi puteți spune unde e?
Comanda {order} nu a ajuns încă. Trackingul nu s-a mai actualizat de câteva zile.
A trecut data de livrare și nu știu nimic de colet.
Puteți verifica ce se întâmplă cu comanda {order}? Are deja {days} întârziere.
Am nevoie de {product} până în weekend, mai ajunge sau nu?

[ticket_body:lost]
În tracking apare că a fost livrat, dar nu am primit nimic. Nu era nimeni acasă și nu am avizare.
Comanda {order} e „în tranzit” de câteva săptămâni. Cred că s-a pierdut.
Am așteptat destul. Ori trimiteți produsul, ori îmi dați banii înapoi.

[ticket_body:broken]
Am primit {product} cu o piesă ruptă. Atașez poze.
{model} nu mai funcționează după câteva zile. Nu pornește deloc.
Cutia era turtită, iar carcasa e crăpată.
Face mult zgomot și miroase a ars. Vreau înlocuire.

[ticket_body:refund]
Am returnat {product} acum două săptămâni și nu am primit încă {amount}.
Curierul a ridicat returul pe {date}. Când primesc banii?
Îmi confirmați, vă rog, că ați primit returul pentru comanda {order}?

[ticket_body:invoice]
Îmi puteți trimite factura pe datele firmei pentru comanda {order}?
Avem nevoie de factură pentru contabilitate. Comanda {order}, total {amount}.
Pe factura pentru comanda {order} numele firmei e greșit, o puteți reface?

[ticket_body:address]
Am greșit adresa la comanda {order}. Se poate modifica înainte de expediere?
M-am mutat, vă rog să livrați comanda {order} la noua adresă.

[ticket_body:cancel]
Vă rog să anulați comanda {order}, am greșit modelul.
Am găsit {product} în altă parte, puteți anula comanda și returna banii?

[ticket_body:account]
Nu mă pot loga în cont, mailul de recuperare nu vine niciodată.
Vă rog să-mi închideți contul și să-mi ștergeți datele.

[ticket_body:setup]
Nu reușesc să conectez {product} la aplicație. Am resetat de două ori.
{model} se tot deconectează de la wifi. Există vreo actualizare?

[ticket_greet]
Bună ziua,
Bună,
Salut,
Bună seara,
Stimată echipă Vetra,

[ticket_followup]
Vă scriu deja a treia oară.
Nu mi-a răspuns nimeni la mailurile anterioare.
Ieri mi s-a spus că mă sună cineva și nimic.
Vă rog să trimiteți problema mai departe unui responsabil.

[ticket_extra]
Numărul meu de telefon este {phone}.
Dacă aveți nevoie, mailul meu e {email}.
Sunați-mă la {phone}, sunt disponibil{g:|ă} după ora 17.

[ticket_sign]
Mulțumesc, {first_name}
Cu stimă, {first_name}
Mulțumesc anticipat
{first_name}
O zi bună

[social:late]
Am comandat de la {handle} acum mai bine de o săptămână și nici urmă de {product}. \
Trackingul e blocat de luni
{handle} comanda mea {order} are {days} întârziere și nu răspunde nimeni la telefon. Super.
Mai așteaptă cineva o veșnicie o comandă de la {brand}?
{handle} mi-ați promis livrare vineri. Au trecut {days} de atunci. Clasic.
Chiar aveam nevoie de {product} pentru weekend {handle}, mersi de nimic

[social:lost]
{handle} în tracking scrie livrat. Nu e livrat. Unde e coletul meu?
Colet pierdut de la {brand}, iar suportul îmi zice doar să aștept. Nu e ok.

[social:broken]
Am despachetat {product} de la {handle} și are deja un defect. Minunat.
{handle} al doilea {model} defect la rând, ce se întâmplă cu controlul calității?

[social:praise]
Îndrăgostit{g:|ă} de {product} de la {handle}
Cea mai bună achiziție din an: {model}. Mersi {handle}!
Bravo {handle} pentru livrarea super rapidă
{product} de la {brand} mi-a schimbat bucătăria, fără exagerare
Cafeaua de dimineață e alt nivel cu {model}

[social:advocate]
Dacă vă trebuie {product}, luați de la {handle}. N-am avut nicio comandă cu probleme.
Încă o comandă de la {handle}, încă un client fericit. Îi recomand cu drag.
Pentru tot ce ține de bucătărie, cumpăr doar de la {brand}. Prețuri bune, livrare rapidă, \
oameni reali la suport.
Toată lumea mă întreabă de unde am {product}: de la {brand}. Mulțumiți-mi mai târziu.
Cumpăr de la {brand} de doi ani și mereu e bine.

[social:support+]
Mulțumesc mult suportului {handle}, mi-au rezolvat problema în 10 minute
Așa da: {handle} mi-a trimis produsul de schimb în aceeași zi

[social:question]
A încercat cineva {model} de la {brand}? Merită?
{handle} livrați și în Moldova?
E de încredere {brand}? Mă gândesc să comand {product}.
{handle} când mai aveți {model} pe stoc?

[social:deal]
{brand} are {product} la reducere săptămâna asta, grăbiți-vă
Black Friday la {handle}: am luat {model} mult mai ieftin ca de obicei

[social:showroom]
Am trecut azi prin showroomul {brand}, am încercat trei espressoare și am plecat cu {product}
La cafeneaua din showroomul {brand} fac și un flat white foarte bun

[hashtags]
#VetraHome
#bucatarie
#casa
#livrare
#recenzie
#cafea
#cumparaturi
#acasa
"""

BANK = PhraseBank(
    language="ro",
    phrases=parse_phrases(_PHRASES),
    days=_days,
    anonymous="Client",
)
