"""English phrases (UK and US customers)."""

from __future__ import annotations

from advocacy.demo.texts.bank import PhraseBank, parse_phrases


def _days(n: int) -> str:
    if n == 1:
        return "a day"
    if n == 7:
        return "a week"
    if n == 14:
        return "two weeks"
    return f"{n} days"


_PHRASES = """
[but]
But
However,
Only thing:
That said,
Having said that,

[still]
On the plus side,
That said,
To be fair,
Still,
In fairness,

[open+]
Really happy with my order.
Great experience from start to finish.
Honestly one of the better online shops I've used.
Very pleased overall.
Third order with {brand} and still impressed.
Can't fault them.
Brilliant service.
Everything went smoothly.
Would definitely recommend {brand}.
I was a bit unsure ordering from a shop I didn't know, but no regrets.
Good shop, good people.

[open~]
Decent experience overall.
Mostly fine.
Not bad, not amazing.
It was ok.
Mixed feelings about this one.
Generally good, with a couple of niggles.
Fine for the most part.
Does the job.

[open-]
Really disappointed.
Not happy at all.
Honestly, what a hassle.
I expected a lot better from {brand}.
Poor experience this time.
Very frustrating.
I won't be ordering again any time soon.
Not what I was promised.
Where do I even start.
Avoid if you need things on time.

[delivery+]
Delivery was quick, the {product} arrived a day before the date they gave me.
The {product} turned up on time and well packed.
Next-day delivery as promised, courier was friendly.
Fast shipping and tracking that actually updated.
Ordered on Sunday evening, had the {product} on Tuesday morning.
Delivery was spot on, they even texted me a one-hour window.
Arrived earlier than expected, which was a nice surprise.
Parcel came quickly and in one piece.

[delivery-]
The {product} arrived {days} late.
My order turned up {days} after the promised date.
Delivery was {days} late and nobody told me why.
Waited {days} longer than promised for the {product}.
They promised delivery by a specific day and it came {days} later.
The {model} was stuck at the depot for {days}.
Tracking said out for delivery for {days} straight.
It took {days} more than they said, and I had to chase it.
The {product} finally arrived {days} late, long after I needed it.

[delivery~]
Shipping took a while, though it did arrive when they said.
Delivery could be faster, the estimate is quite long.
The delivery window is a bit vague.
Would be nice to have a cheaper express option.
Courier left the parcel with a neighbour without asking.

[lost-]
My order never arrived.
The {product} still hasn't turned up and tracking hasn't moved in days.
Tracking says delivered but there was nothing at my door.
My parcel seems to have vanished somewhere between the warehouse and my house.
I'm still waiting for the {product}, way past the delivery date.
Order {order} is lost and I'm getting nowhere.

[quality+]
The {product} is excellent quality for the price.
Really well made, feels solid.
I use the {product} every day and it's been perfect.
The {model} does exactly what it says.
Build quality is much better than I expected.
The {product} looks great and works even better.
Quiet, sturdy and easy to clean.
Quality is spot on.

[quality-]
The {product} stopped working after {used}.
The {product} arrived broken.
The {model} came with a cracked lid.
Poor quality, the {product} broke within a week.
The {product} makes a horrible grinding noise.
One of the parts was missing from the box.
The {product} arrived scratched and dented.
It started smelling of burning plastic the second time I used it.
The {model} died after a couple of uses.

[quality~]
The {product} is fine but feels a bit cheap.
Quality is ok for the price, nothing special.
Does the job, though the finish could be better.
The plastic feels flimsy.

[price+]
Prices are very reasonable.
Cheaper than anywhere else I looked.
Good value for money.
Got the {product} on offer, great deal.
Fair prices and no hidden delivery charges.

[price-]
A bit pricey compared to other shops.
Delivery charges are steep for small orders.
Found the same {product} cheaper elsewhere a week later.
Prices have gone up noticeably since my first order.
Too expensive for what you get.

[support+]
Customer service were brilliant, {agent} sorted everything in one call.
Support replied within the hour and fixed the problem.
The support team were polite and actually helpful.
{agent} from customer service went above and beyond.
Had a question about my order and got a clear answer straight away.
When something went wrong they sorted it quickly, no arguing.

[support-]
Customer service is useless, I had to contact them several times.
Nobody answers the phone and the emails get copy-paste replies.
Support kept promising a call back that never came.
I explained the problem three times to three different people.
The chat bot goes round in circles.
Took ages to get a real answer from support.

[usability+]
The {product} was really easy to set up.
The app for the {product} is simple and works well.
Set-up took five minutes, even for me.
Very intuitive, no need to read the manual.

[usability-]
Setting up the {product} was a nightmare.
The app for the {product} keeps disconnecting.
The instructions for the {model} are confusing.
Couldn't get the {product} to connect to my wifi.
The app needs an account and a dozen permissions just to switch it on.
Your website kept logging me out at checkout.

[returns+]
Returning the {product} was easy and the refund came quickly.
The return was painless, courier collected it from home.
Refund was in my account within a few days.

[returns-]
The refund took weeks.
Returning the {product} was far more complicated than it should be.
Still waiting for my refund for the {product}.
I had to pay for the return myself even though the item was faulty.

[range+]
Great selection of kitchen stuff.
They have things you can't find in the usual shops.
Nice range and the product descriptions are accurate.

[site-]
The website is slow and the search is useless.
The app crashed twice while I was paying.
Checkout asked for my address three times.

[showroom+]
The showroom is lovely, you can try everything before buying.
Staff in the showroom were friendly and knew their stuff.
Nice place to browse, and the coffee bar is a bonus.
Great demo of the coffee machines, they let us taste everything.
Easy parking and no pushy sales people.
Beautifully laid out store, felt more like a café than a shop.

[showroom-]
The showroom was understaffed and we waited ages.
Half the items on display were out of stock.
Prices in the showroom were higher than online.
The café part was closed and nobody could tell us why.
Staff seemed more interested in their phones.

[detail:delivery-]
Nobody bothered to tell me it would be late.
It was meant to be a birthday present.
I took a day off work to wait in.
Tracking just said "in transit" the whole time.
The courier claimed they tried to deliver but no one rang the bell.
I had to call twice just to find out where it was.
I'd paid extra for faster shipping.

[detail:delivery-biz]
We needed it for our opening and had to borrow one from a neighbour.
It cost us a week of sales at the café.
Our guests had no kettles in their rooms for days.
The whole office was waiting on this order.
We had to cancel a booking because the rooms weren't ready.

[detail:lost-]
Customer service keep telling me to wait another 48 hours.
The courier says it's your problem, you say it's theirs.
I just want my money back at this point.

[detail:quality-]
I've sent photos and I'm waiting for a replacement.
It was a gift, so that was embarrassing.
Clearly a bad batch.
Checked the reviews afterwards and I'm not the only one.

[detail:quality+]
Already recommended it to my sister.
Bought a second one for my parents.
Use it every single morning.

[detail:support-]
Still no answer to my last email.
Each time I'm told someone will call me back.

[detail:support+]
Special thanks to {agent}.
Replacement arrived two days later.

[detail:usability-]
Ended up watching YouTube videos to figure it out.
The manual only had pictures, no words.

[close+]
Thanks {brand}!
Will be ordering again.
Keep it up.
Already planning my next order.
10/10 would recommend.
Cheers!
Thanks again.

[close~]
Would order again if the price is right.
Room for improvement.
Hope it gets better.
Might order again.

[close-]
Sort it out please.
Won't be using {brand} again.
Very disappointed.
I'd like someone to call me about this.
Will be telling my friends to shop elsewhere.
Not good enough.

[short+]
Great service
Fast delivery, good prices
All perfect, thanks
Love my new {product}
Excellent as always
Super quick and easy
Very happy
Top notch

[short~]
Ok
It was fine
Decent
Could be better
Average

[short-]
Late again
Still waiting
Never arrived
Terrible service
Broken on arrival
Rubbish

[title+]
Excellent service
Love the {product}
Fast and reliable
Brilliant shop
Would buy again
Great value
Exactly as described
Highly recommend {brand}
Fantastic {product}
Five stars

[title~]
Good but could be better
Decent, not perfect
Ok for the price
Mixed experience
Fine, but slow delivery

[title-]
Late delivery, poor communication
Avoid
Arrived broken
Still waiting for my order
Terrible customer service
Don't bother
Disappointed
Waste of money
Lost parcel, no help

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
The {product} arrived with a broken part. I've attached photos.
My {model} stopped working after a few days. It won't switch on at all.
The box was crushed and the {product} inside is cracked.
The {product} makes a loud noise and smells of burning. I'd like a replacement.

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
The {product} I got from {brand} is honestly a game changer in the kitchen
Morning coffee hits different with the new {model}

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
#customerservice
#fail
#delivery
#newhome
#coffee
"""

BANK = PhraseBank(
    language="en",
    phrases=parse_phrases(_PHRASES),
    days=_days,
    anonymous="Amazon Customer",
)
