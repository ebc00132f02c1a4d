"""English support-ticket and social-media phrases (see ``bank`` for the format)."""

MESSAGES = """
[ticket_subject:where]
Where is my order {order}?
Order {order} not delivered
Delivery delayed - order {order}
Still waiting for my {product}
Late delivery

[ticket_subject:lost]
Order {order} never arrived
Parcel marked delivered but not received
Missing parcel
Lost order - refund please

[ticket_subject:broken]
{product} arrived damaged
Faulty {product}
Problem with my {model}
Broken item in order {order}

[ticket_subject:refund]
Refund for order {order}
Return not refunded yet
Refund status

[ticket_subject:invoice]
Invoice request - order {order}
VAT invoice needed
Wrong company details on invoice

[ticket_subject:address]
Change delivery address
Wrong address on order {order}

[ticket_subject:cancel]
Cancel order {order}
Please cancel my order

[ticket_subject:account]
Can't log in
Password reset not working
Delete my account

[ticket_subject:setup]
Help setting up the {product}
{model} won't connect to wifi
App problem

[ticket_body:where]
I ordered the {product} on {date} and it was supposed to arrive {days} ago. Can you tell me \
where it is?
My order {order} still hasn't arrived. Tracking hasn't updated for days.
The delivery date has passed and I have no idea where my parcel is.
Could you please check what's happening with order {order}? It's now {days} late.
I need the {product} by the weekend, is it actually going to arrive?

[ticket_body:lost]
Tracking says my parcel was delivered but I never received it. Nobody was home and there's no note.
Order {order} has been "in transit" for weeks. I think it's lost.
I've waited long enough for the {product}. Please either send it or refund me.

[ticket_body:broken]
The {product} arrived with a broken part. I've attached photos. @electric,cookware
The {product} arrived damaged. Photos attached.
My {model} stopped working after a few days. It won't switch on at all. @electric
The box was crushed and the {product} inside is damaged.
The {product} makes a loud noise and smells of burning. I'd like a replacement. @electric
The {product} fell apart after the first wash. I'd like a replacement or a refund. @textile
The coating on the {product} is already peeling. Is this covered by the warranty? @cookware

[ticket_body:refund]
I returned the {product} two weeks ago and still haven't had my refund of {amount}.
Your courier collected the return on {date}. When will I get my money back?
Can you confirm you received my return for order {order}?

[ticket_body:invoice]
Could you send an invoice with our company details for order {order}?
We need a VAT invoice for our accounts. Order {order}, total {amount}.
The invoice for {order} has the wrong company name, can you reissue it?

[ticket_body:address]
I made a mistake in the delivery address for order {order}. Can you change it before it ships?
I've moved, please deliver order {order} to my new address.

[ticket_body:cancel]
Please cancel order {order}, I ordered the wrong {product}.
I found the {product} elsewhere, could you cancel my order and refund me?

[ticket_body:account]
I can't log into my account, the reset email never arrives.
Please close my account and delete my data.

[ticket_body:setup]
I can't get the {product} to connect to the app. I've tried resetting it twice.
The {model} keeps dropping off the wifi. Is there a firmware update?

[ticket_greet]
Hi,
Hello,
Hi there,
Good morning,
Dear Vetra team,

[ticket_followup]
This is the third time I'm writing about this.
Nobody has replied to my previous emails.
I was promised a call back yesterday and heard nothing.
Please escalate this.

[ticket_extra]
You can reach me on {phone}.
My email is {email} if you need anything.
Please call me on {phone}, I'm free after 5pm.

[ticket_sign]
Thanks, {first_name}
Regards, {first_name}
Thanks in advance
{first_name}
Cheers, {first_name}

[social:late]
Ordered from {handle} over a week ago, still no sign of my {product}. Tracking hasn't moved \
since Monday
{handle} my order {order} is {days} late and nobody answers the phone. Great.
Anyone else waiting forever for a {brand} delivery right now?
So {handle} promised delivery on Friday. It's now {days} later. Classic.
Really needed that {product} for this weekend {handle}, thanks for nothing

[social:lost]
{handle} tracking says delivered. It was not delivered. Where is my parcel?
Lost parcel from {brand}, and support keeps telling me to wait. Not impressed.

[social:broken]
Unboxed my new {product} from {handle} and it's already broken. Brilliant.
{handle} second faulty {model} in a row, what's going on with your quality control?

[social:praise]
Loving my new {product} from {handle}
Best purchase this year: the {model}. Thanks {handle}!
Shout out to {handle} for the super quick delivery
The {product} I got from {brand} is honestly a game changer at home
Mornings are better with the new {model}

[social:advocate]
If anyone's looking for a {product}, get it from {handle}. Never had a bad order with them.
Another order from {handle}, another happy customer here. Can't recommend them enough.
My go-to shop for anything kitchen related is {brand}. Fair prices, quick delivery, real \
humans in support.
People keep asking where I got my {product}: {brand}. Use them, thank me later.
Been buying from {brand} for two years now. Consistently good.

[social:support+]
Big thanks to {handle} support, sorted my problem in 10 minutes
Proper customer service from {handle}, replacement sent the same day

[social:question]
Has anyone tried the {model} from {brand}? Worth it?
{handle} do you ship to the Channel Islands?
Is {brand} legit? Thinking of ordering a {product}.
{handle} when is the {product} back in stock?

[social:deal]
{brand} has the {product} on offer this week, grab it
Black Friday at {handle}: got the {model} for way less than usual

[social:showroom]
Popped into the {brand} showroom today, tried three coffee machines and left with a {product}
The {brand} showroom café does a decent flat white too

[hashtags]
#VetraHome
#kitchen
#homedecor
#newhome
#coffee
#home

[hashtags-]
#customerservice
#fail
#delivery
#neveragain
"""
