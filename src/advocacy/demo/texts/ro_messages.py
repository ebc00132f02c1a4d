"""Romanian support-ticket and social-media phrases (see ``bank`` for the format)."""

MESSAGES = """
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
Am primit {product} cu o piesă ruptă. Atașez poze. @electric,cookware
Produsul a venit deteriorat, atașez poze.
{model} nu mai funcționează după câteva zile. Nu pornește deloc. @electric
Cutia era turtită, iar carcasa e crăpată. @electric
Face mult zgomot și miroase a ars. Vreau înlocuire. @electric
După prima spălare s-a destrămat. Vreau înlocuire sau banii înapoi. @textile
Stratul antiaderent se cojește deja. Intră în garanție? @cookware

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
{handle} mi-ați promis livrare vineri. Aștept de {days} în plus. Clasic.
Chiar aveam nevoie de {product} pentru weekend {handle}, mersi de nimic

[social:lost]
{handle} în tracking scrie livrat. Nu e livrat. Unde e coletul meu?
Colet pierdut de la {brand}, iar suportul îmi zice doar să aștept. Nu e ok.

[social:broken]
Am despachetat {product} de la {handle} și are deja un defect. Minunat.
{handle} al doilea {model} defect la rând, ce se întâmplă cu controlul calității?

[social:praise]
{g:Îndrăgostit|Îndrăgostită} de {product} de la {handle}
Cea mai bună achiziție din an: {model}. Mersi {handle}!
Bravo {handle} pentru livrarea super rapidă
{product} de la {brand} mi-a schimbat rutina de acasă, fără exagerare
Diminețile sunt alt nivel cu {model}

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
#cafea
#cumparaturi
#acasa

[hashtags-]
#livrare
#recenzie
#dezamagire
#servicii
"""
