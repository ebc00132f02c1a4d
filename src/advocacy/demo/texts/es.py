"""Spanish phrases (Spain and Mexico), written to read naturally on both sides of the ocean."""

from __future__ import annotations

from advocacy.demo.texts.bank import PhraseBank, parse_phrases


def _days(n: int) -> str:
    if n == 1:
        return "un día"
    if n == 7:
        return "una semana"
    if n == 14:
        return "dos semanas"
    return f"{n} días"


_PHRASES = """
[but]
Pero
Eso sí,
Lo único:
Sin embargo,
Ahora bien,

[still]
Eso sí,
Por lo demás,
A su favor,
Dicho esto,
Hay que reconocer que

[open+]
Muy {g:contento|contenta} con la compra.
Experiencia de diez, de principio a fin.
Sinceramente, de las mejores tiendas online en las que he comprado.
Todo genial.
Es mi tercer pedido en {brand} y sigo igual de {g:satisfecho|satisfecha}.
Nada que objetar.
Servicio impecable.
Todo fue sobre ruedas.
Recomiendo {brand} sin dudarlo.
Tenía mis dudas al comprar en una tienda que no conocía, pero ningún arrepentimiento.
Buena tienda y buena gente.

[open~]
En general bien.
Correcto, sin más.
Ni fu ni fa.
Estuvo bien, aunque con algún detalle.
Bien en lo principal.
Cumple, pero hay cosas que mejorar.
La experiencia fue normalita.
Aceptable.

[open-]
Muy {g:decepcionado|decepcionada}.
Nada {g:contento|contenta}, la verdad.
Vaya odisea.
Esperaba mucho más de {brand}.
Mala experiencia esta vez.
Qué frustración.
No vuelvo a pedir aquí en una temporada.
Nada que ver con lo que me prometieron.
No sé ni por dónde empezar.
Si necesitas algo a tiempo, mejor busca otra tienda.

[delivery+]
El envío fue rapidísimo, {product} llegó un día antes de lo previsto.
{product} llegó a tiempo y con un embalaje perfecto.
Entrega en 24 horas como prometían, y el repartidor muy amable.
Envío rápido y con seguimiento que de verdad se actualiza.
Lo pedí el domingo por la noche y el martes por la mañana ya tenía {product}.
La entrega fue puntual, hasta me avisaron con una franja de una hora.
Llegó antes de lo esperado, una sorpresa muy agradable.
El paquete llegó rápido y en perfecto estado.

[delivery-]
{product} llegó con {days} de retraso.
El pedido llegó {days} después de la fecha prometida.
La entrega se retrasó {days} y nadie me explicó por qué.
Esperé {days} más de lo prometido para recibir {product}.
Me dieron una fecha de entrega y llegó {days} tarde.
El paquete con mi {model} estuvo parado en el almacén {days}.
El seguimiento decía "en reparto" durante {days} seguidos.
Tardaron {days} más de lo que dijeron y encima tuve que reclamar yo.
Al final {product} llegó {days} tarde, cuando ya no me hacía falta.

[delivery~]
El envío tarda bastante, aunque llegó en la fecha que dijeron.
La entrega podría ser más rápida, el plazo es largo.
La franja de entrega es muy poco concreta.
Estaría bien tener una opción de envío urgente más barata.
El repartidor dejó el paquete al vecino sin preguntar.

[lost-]
Mi pedido nunca llegó.
{product} sigue sin llegar y el seguimiento lleva días sin moverse.
Según el seguimiento está entregado, pero a mi casa no llegó nada.
El paquete ha desaparecido entre el almacén y mi casa.
Sigo esperando {product} y la fecha de entrega pasó hace mucho.
El pedido {order} se ha perdido y nadie me da una solución.

[quality+]
{product} es de muy buena calidad para lo que cuesta.
Los acabados son muy buenos y se nota la solidez.
Uso {product} todos los días y funciona de maravilla.
Mi {model} hace exactamente lo que promete.
La calidad es mucho mejor de lo que esperaba.
{product} queda de maravilla en la cocina y funciona aún mejor.
Hace poco ruido, aguanta bien y se limpia en un momento.
Calidad de diez.

[quality-]
{product} dejó de funcionar al cabo de {used}.
{product} llegó con desperfectos.
Mi {model} vino con la tapa rajada.
Calidad pésima, {product} se estropeó en menos de una semana.
{product} hace un ruido horrible.
Faltaba una pieza en la caja.
{product} llegó con arañazos y un golpe.
La segunda vez que lo usé empezó a oler a plástico quemado.
Mi {model} murió después de un par de usos.

[quality~]
{product} está bien, pero se ve un poco endeble.
Calidad correcta para el precio, nada del otro mundo.
Cumple, aunque los acabados podrían ser mejores.
El plástico parece frágil.

[price+]
Precios muy razonables.
Más barato que en ningún otro sitio que miré.
Buena relación calidad-precio.
Pillé {product} en oferta, un chollo.
Precios justos y sin gastos de envío escondidos.

[price-]
Algo caro comparado con otras tiendas.
Los gastos de envío son excesivos para pedidos pequeños.
Una semana después vi {product} a mejor precio en otra web.
Los precios han subido bastante desde mi primer pedido.
Demasiado caro para lo que ofrece.

[support+]
Atención al cliente de diez, {agent} me lo solucionó todo en una llamada.
Me respondieron en menos de una hora y arreglaron el problema.
El equipo de soporte fue amable y resolutivo.
{agent}, de atención al cliente, se portó fenomenal.
Tenía una duda con el pedido y me contestaron al momento.
Cuando algo salió mal lo solucionaron rápido y sin discutir.

[support-]
El servicio de atención al cliente no sirve para nada, tuve que escribir varias veces.
No cogen el teléfono y los correos son respuestas automáticas.
Me prometieron que me llamarían y nunca llamaron.
Expliqué el problema tres veces a tres personas distintas.
El chat automático te hace dar vueltas sin resolver nada.
Costó muchísimo que alguien de soporte me diera una respuesta clara.

[usability+]
Configurar {product} fue facilísimo.
La app de {product} es sencilla y funciona bien.
En cinco minutos lo tenía funcionando.
Muy intuitivo, no hizo falta leer el manual.

[usability-]
Configurar {product} fue una pesadilla.
La app de {product} se desconecta cada dos por tres.
Las instrucciones del modelo {model} no hay quien las entienda.
No hubo manera de conectar {product} al wifi.
La app pide registrarse y mil permisos solo para encenderlo.
La web me cerraba la sesión al pagar.

[returns+]
Devolver {product} fue muy fácil y el reembolso llegó enseguida.
La devolución sin complicaciones, vinieron a recogerlo a casa.
En pocos días tenía el dinero de vuelta.

[returns-]
El reembolso tardó semanas.
Devolver {product} fue mucho más complicado de lo necesario.
Sigo esperando el reembolso de {product}.
Tuve que pagar yo el envío de la devolución, y eso que venía defectuoso.

[range+]
Tienen un catálogo de cocina muy completo.
Encuentras cosas que no hay en las tiendas de siempre.
Buen surtido y las descripciones de los productos son fieles.

[site-]
La web va lenta y el buscador no encuentra nada.
La app se colgó dos veces mientras pagaba.
Al pagar me pidió la dirección tres veces.

[showroom+]
La tienda física es preciosa y puedes probarlo todo antes de comprar.
El personal de la tienda, muy amable y sabía de lo que hablaba.
Un sitio agradable para curiosear, y la cafetería es un plus.
Nos hicieron una demostración de las cafeteras y nos dejaron probarlo todo.
Fácil aparcar y ningún vendedor agobiando.
La tienda está muy bien montada, parece más una cafetería que una tienda.

[showroom-]
Había poco personal y esperamos un montón.
La mitad de lo expuesto estaba agotado.
Los precios en tienda eran más altos que en la web.
La cafetería estaba cerrada y nadie supo decirnos por qué.
Los dependientes estaban más pendientes del móvil que de los clientes.

[detail:delivery-]
Nadie se molestó en avisarme del retraso.
Era un regalo de cumpleaños.
Me pedí el día libre en el trabajo para esperar al repartidor.
El seguimiento decía "en tránsito" todo el rato.
El repartidor dijo que no había nadie en casa, pero yo estaba.
Tuve que llamar dos veces solo para saber dónde estaba.
Y eso que pagué el envío urgente.

[detail:delivery-biz]
Lo necesitábamos para la inauguración y tuvimos que pedir uno prestado.
Nos costó una semana de ventas en la cafetería.
Los huéspedes estuvieron días sin hervidor en las habitaciones.
Toda la oficina estaba esperando este pedido.
Tuvimos que cancelar una reserva porque las habitaciones no estaban listas.

[detail:lost-]
En atención al cliente me dicen que espere otras 48 horas.
La empresa de transporte dice que es cosa vuestra y vosotros que es cosa suya.
A estas alturas solo quiero que me devuelvan el dinero.

[detail:quality-]
Mandé fotos y estoy esperando que me lo cambien.
Era un regalo, qué vergüenza.
Seguramente es un lote defectuoso.
Luego leí las opiniones y no soy la única persona a la que le pasa.

[detail:quality+]
Ya se lo he recomendado a mi hermana.
Compré otro para mis padres.
Lo uso todas las mañanas.

[detail:support-]
Mi último correo sigue sin respuesta.
Cada vez me dicen que alguien me llamará.

[detail:support+]
Gracias especialmente a {agent}.
El recambio llegó dos días después.

[detail:usability-]
Acabé viendo vídeos en YouTube para entenderlo.
El manual solo trae dibujos.

[close+]
¡Gracias, {brand}!
Volveré a comprar seguro.
Sigan así.
Ya estoy pensando en el próximo pedido.
Un 10.
Lo recomiendo.
Mil gracias.

[close~]
Volvería a comprar si el precio acompaña.
Hay margen de mejora.
A ver si mejoran.
Puede que repita.

[close-]
A ver si lo arreglan.
No vuelvo a comprar en {brand}.
Muy {g:decepcionado|decepcionada}.
Quiero que alguien me llame para solucionarlo.
Se lo desaconsejaré a mis amigos.
Así no.

[short+]
Todo perfecto
Rápido y buen precio
Genial, gracias
{g:Encantado|Encantada} con mi {product_bare}
Excelente como siempre
Rapidísimo
Muy {g:contento|contenta}
De diez

[short~]
Bien
Correcto
Normal
Mejorable
Regular

[short-]
Otra vez tarde
Sigo esperando
Nunca llegó
Pésimo servicio
Llegó roto
Un desastre

[title+]
Servicio excelente
{g:Encantado|Encantada} con {product}
Rápidos y fiables
Tienda muy recomendable
Repetiré seguro
Muy buena relación calidad-precio
Tal y como se describe
Recomiendo {brand}
{product}, una maravilla
Cinco estrellas

[title~]
Bien, pero mejorable
Correcto sin más
Aceptable para el precio
Experiencia regular
Bien, aunque el envío es lento

[title-]
Retraso en la entrega y cero información
No lo recomiendo
Llegó roto
Sigo esperando mi pedido
Atención al cliente pésima
No compréis aquí
Decepcionante
Dinero tirado
Paquete perdido y nadie ayuda

[ticket_subject:where]
¿Dónde está mi pedido {order}?
Pedido {order} sin entregar
Retraso en la entrega del pedido {order}
Sigo esperando {product}
Entrega con retraso

[ticket_subject:lost]
El pedido {order} nunca llegó
Pedido marcado como entregado pero no recibido
Paquete perdido
Pedido perdido, solicito reembolso

[ticket_subject:broken]
{product} ha llegado con daños
Producto defectuoso: {model}
Problema con mi {model}
Artículo roto en el pedido {order}

[ticket_subject:refund]
Reembolso del pedido {order}
Devolución sin reembolsar
Estado de mi reembolso

[ticket_subject:invoice]
Solicitud de factura - pedido {order}
Necesito factura con datos fiscales
Datos de empresa incorrectos en la factura

[ticket_subject:address]
Cambio de dirección de entrega
Dirección incorrecta en el pedido {order}

[ticket_subject:cancel]
Cancelar pedido {order}
Por favor, cancelen mi pedido

[ticket_subject:account]
No puedo iniciar sesión
No me llega el correo para cambiar la contraseña
Eliminar mi cuenta

[ticket_subject:setup]
Ayuda para configurar {product}
Mi {model} no se conecta al wifi
Problema con la app

[ticket_body:where]
Pedí {product} el {date} y tenía que haber llegado hace {days}. ¿Me dicen dónde está?
Mi pedido {order} sigue sin llegar. El seguimiento no se actualiza desde hace días.
Ya ha pasado la fecha de entrega y no sé nada de mi paquete.
¿Pueden revisar qué pasa con el pedido {order}? Ya lleva {days} de retraso.
Necesito {product} para el fin de semana, ¿va a llegar o no?

[ticket_body:lost]
El seguimiento dice que se entregó, pero no he recibido nada. No había nadie en casa y no \
dejaron aviso.
El pedido {order} lleva semanas "en tránsito". Creo que se ha perdido.
Ya he esperado bastante por {product}. O me lo envían o me devuelven el dinero.

[ticket_body:broken]
{product} llegó con una pieza rota. Adjunto fotos.
Mi {model} dejó de funcionar a los pocos días. No enciende.
La caja venía aplastada y {product} tiene una grieta.
{product} hace mucho ruido y huele a quemado. Quiero que me lo cambien.

[ticket_body:refund]
Devolví {product} hace dos semanas y todavía no he recibido el reembolso de {amount}.
El mensajero recogió la devolución el {date}. ¿Cuándo me devuelven el dinero?
¿Me confirman que han recibido la devolución del pedido {order}?

[ticket_body:invoice]
¿Me pueden enviar factura con los datos de la empresa del pedido {order}?
Necesitamos la factura para contabilidad. Pedido {order}, importe {amount}.
La factura del pedido {order} tiene mal la razón social, ¿la pueden corregir?

[ticket_body:address]
Me equivoqué en la dirección del pedido {order}. ¿Se puede cambiar antes del envío?
Me he mudado, por favor envíen el pedido {order} a mi nueva dirección.

[ticket_body:cancel]
Por favor, cancelen el pedido {order}, me equivoqué de modelo.
Encontré {product} en otro sitio, ¿pueden cancelar el pedido y devolverme el dinero?

[ticket_body:account]
No puedo entrar en mi cuenta, el correo de recuperación no llega nunca.
Quiero darme de baja y que borren mis datos.

[ticket_body:setup]
No consigo conectar {product} a la app. Ya lo he reiniciado dos veces.
Mi {model} se desconecta del wifi cada rato. ¿Hay alguna actualización?

[ticket_greet]
Hola,
Buenos días,
Buenas tardes,
Hola, buenas.
Estimados señores:

[ticket_followup]
Es la tercera vez que escribo por esto.
Nadie ha respondido a mis correos anteriores.
Ayer me dijeron que me llamarían y nada.
Por favor, pásenlo a un responsable.

[ticket_extra]
Mi teléfono es {phone}.
Si necesitan algo, mi correo es {email}.
Llámenme al {phone}, estoy disponible por las tardes.

[ticket_sign]
Gracias, {first_name}
Un saludo, {first_name}
Gracias de antemano
{first_name}
Saludos

[social:late]
Pedí en {handle} hace más de una semana y ni rastro de {product}. El seguimiento parado \
desde el lunes
{handle} mi pedido {order} lleva {days} de retraso y nadie coge el teléfono. Genial.
¿A alguien más le está tardando una eternidad un pedido de {brand}?
{handle} me prometieron la entrega el viernes. Ya van {days} más. Lo de siempre.
Necesitaba {product} para este finde {handle}, gracias por nada

[social:lost]
{handle} el seguimiento dice entregado. No está entregado. ¿Dónde está mi paquete?
Paquete perdido de {brand} y en soporte solo me dicen que espere. Muy mal.

[social:broken]
Abro mi {product_bare} de {handle} y ya viene con defecto. Maravilloso.
{handle} ya van dos {model} con defecto de fábrica, ¿qué pasa con su control de calidad?

[social:praise]
{g:Encantado|Encantada} con mi {product_bare} de {handle}
La mejor compra del año: mi {model}. ¡Gracias {handle}!
Un aplauso para {handle} por la entrega rapidísima
{product} de {brand} me ha cambiado la vida en la cocina, sin exagerar
El café de la mañana sabe distinto con mi {model}

[social:advocate]
Si buscas {product}, pídelo en {handle}. Nunca he tenido un problema con ellos.
Otro pedido en {handle} y otra vez todo perfecto. Los recomiendo muchísimo.
Mi tienda de cabecera para todo lo de cocina es {brand}. Buenos precios, envíos rápidos y \
personas de verdad en soporte.
Todo el mundo me pregunta de dónde es {product}: de {brand}. Hazme caso.
Llevo dos años comprando en {brand} y siempre igual de bien.

[social:support+]
Mil gracias al soporte de {handle}, me lo solucionaron en 10 minutos
Así da gusto: {handle} me mandó el recambio el mismo día

[social:question]
¿Alguien ha probado el modelo {model} de {brand}? ¿Merece la pena?
{handle} ¿hacen envíos a Canarias?
¿{brand} es de fiar? Estoy pensando en pedir {product}.
{handle} ¿cuándo vuelve a haber stock de {product}?

[social:deal]
{brand} tiene {product} en oferta esta semana, corre a verlo
Black Friday en {handle}: me he llevado {product} por mucho menos de lo normal

[social:showroom]
Hoy me pasé por la tienda de {brand}, probé tres cafeteras y salí con {product}
En la cafetería de la tienda de {brand} hacen un café con leche muy rico

[hashtags]
#VetraHome
#cocina
#hogar
#atencionalcliente
#envios
#decoracion
#cafe
#compras
"""

BANK = PhraseBank(
    language="es",
    phrases=parse_phrases(_PHRASES),
    days=_days,
    anonymous="Cliente de Amazon",
)
