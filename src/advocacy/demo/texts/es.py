"""Spanish phrases (Spain and Mexico), written to read naturally on both sides of the ocean."""

from __future__ import annotations

from advocacy.demo.texts.bank import PhraseBank, parse_phrases
from advocacy.demo.texts.es_messages import MESSAGES


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
Hice el pedido el domingo por la noche y el martes por la mañana ya tenía {product}.
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
El seguimiento se quedó en "en reparto" durante {days}.
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
Uso {product} todos los días y sigue como el primer día.
Mi {model} hace exactamente lo que promete.
La calidad es mucho mejor de lo que esperaba.
{product} queda de maravilla en casa y funciona aún mejor. @electric
Hace poco ruido, tiene potencia y se limpia en un momento. @electric
Calidad de diez.
Tejido suave y grueso, y sigue como nuevo después de muchos lavados. @textile
Calienta de forma uniforme y no se pega nada. @cookware

[quality-]
{product} dejó de funcionar al cabo de {used}. @electric
{product} llegó con desperfectos.
Mi {model} vino con la carcasa rajada. @electric
Calidad pésima, {product} se estropeó en menos de una semana.
{product} hace un ruido horrible. @electric
Faltaba una pieza en la caja. @electric,cookware
{product} llegó con arañazos y un golpe. @electric,cookware
Al segundo uso empezó a oler a plástico quemado. @electric
Mi {model} murió después de un par de usos. @electric
Las costuras se abrieron en el primer lavado. @textile
Destiñó en la lavadora y encima encogió. @textile
El antiadherente empezó a despegarse al cabo de {used}. @cookware
Llegó con una muesca. @cookware

[quality~]
{product} está bien, pero se ve un poco endeble.
Calidad correcta para el precio, nada del otro mundo.
Cumple, aunque los acabados podrían ser mejores.
El plástico parece frágil. @electric
La tela es más fina de lo que parece en las fotos. @textile

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
No hubo manera de vincular {product} con la app.
La app pide registrarse y mil permisos solo para encender el aparato.

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
La web me cerraba la sesión al pagar.

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
Lo necesitábamos para la inauguración y tuvimos que improvisar.
Nos costó una semana de ventas.
Los clientes lo notaron y uno nos dejó una mala reseña.
Toda la oficina estaba esperando este pedido.
Tuvimos que cancelar una reserva porque las habitaciones no estaban listas.

[detail:lost-]
En atención al cliente me dicen que espere otras 48 horas.
La empresa de transporte dice que es cosa vuestra y vosotros que es cosa suya.
A estas alturas solo quiero que me devuelvan el dinero.

[detail:quality-]
Mandé fotos y estoy esperando el cambio.
Era un regalo, qué vergüenza.
Seguramente es un lote defectuoso.
Luego leí las opiniones y no soy la única persona a la que le pasa.

[detail:quality+]
Ya se lo he recomendado a mi hermana.
Hice el mismo pedido para mis padres.
Le doy uso todas las mañanas.

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
No estoy {g:contento|contenta}
Decepcionante
Un desastre
Muy mal
Flojo

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

[title-]
No lo recomiendo
Decepcionante
Dinero tirado
Nunca más
Muy mal
Mejor en otra tienda

[short:delivery-]
Otra vez tarde
Llegó tarde
Lentísimos

[short:lost-]
Nunca llegó
Sigo esperando

[short:quality-]
Con desperfectos de fábrica
Mala calidad

[short:support-]
Pésimo servicio
Soporte inexistente

[title:delivery~]
Bien, aunque el envío es lento
Bien, pero tardan

[title:delivery-]
Retraso en la entrega y cero información
Llegó con {days} de retraso
Lentos, muy lentos

[title:lost-]
Sigo esperando mi pedido
Paquete perdido y nadie ayuda

[title:quality-]
Llegó con desperfectos
Producto defectuoso: {model}
Mala calidad

[title:support-]
Atención al cliente pésima
El soporte no sirve para nada

"""

BANK = PhraseBank(
    language="es",
    phrases=parse_phrases(_PHRASES + MESSAGES),
    days=_days,
    anonymous="Cliente de Amazon",
)
