"""Spanish support-ticket and social-media phrases (see ``bank`` for the format)."""

MESSAGES = """
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
{product} llegó con una pieza rota. Adjunto fotos. @electric,cookware
{product} llegó en mal estado. Adjunto fotos.
Mi {model} dejó de funcionar a los pocos días. No enciende. @electric
La caja venía aplastada y el contenido, dañado.
{product} hace mucho ruido y huele a quemado. Quiero un cambio. @electric
{product} se deshizo en el primer lavado. Quiero un cambio o el reembolso. @textile
El antiadherente de {product} ya se está despegando. ¿Lo cubre la garantía? @cookware

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
No consigo conectar {product} a la app. Ya he reiniciado todo dos veces.
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
{handle} me prometieron la entrega el viernes. Llevo {days} más esperando. Lo de siempre.
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
{product} de {brand} me ha cambiado la vida en casa, sin exagerar
Las mañanas son otra cosa con mi {model}

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
#decoracion
#cafe
#compras

[hashtags-]
#atencionalcliente
#envios
#fail
#nuncamas
"""
