"""English phrases (UK and US customers)."""

from __future__ import annotations

from advocacy.demo.texts.bank import PhraseBank, parse_phrases
from advocacy.demo.texts.en_messages import MESSAGES


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
The {product} looks great and works even better. @electric
Quiet, powerful and easy to clean. @electric
Quality is spot on.
Soft, thick and still like new after plenty of washes. @textile
Heats evenly and nothing sticks. @cookware

[quality-]
The {product} stopped working after {used}. @electric
The {product} arrived damaged.
The {model} came with a cracked casing. @electric
Poor quality, the {product} was falling apart within a week.
The {product} makes a horrible grinding noise. @electric
One of the parts was missing from the box. @electric,cookware
The {product} arrived scratched and dented. @electric,cookware
It started smelling of burning plastic the second time I used it. @electric
The {model} died after a couple of uses. @electric
The seams came apart after the first wash. @textile
The colour ran in the wash and it shrank. @textile
The non-stick coating started peeling after {used}. @cookware
Arrived with a chip in it. @cookware

[quality~]
The {product} is fine but feels a bit cheap.
Quality is ok for the price, nothing special.
Does the job, though the finish could be better.
The plastic feels flimsy. @electric
Thinner fabric than the photos suggest. @textile

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
Couldn't get the {product} to pair with the app.
The app needs an account and a dozen permissions just to switch it on.

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
Your website kept logging me out at checkout.

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
We needed it for our opening and had to improvise.
It cost us a week of sales.
Our guests noticed, and one of them left us a bad review.
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
Not happy
Disappointed
Rubbish
Not impressed
Poor

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

[title-]
Avoid
Don't bother
Disappointed
Waste of money
Not impressed
Never again

[short:delivery-]
Late again
Arrived late
Way too slow

[short:lost-]
Never arrived
Still waiting

[short:quality-]
Broken on arrival
Poor quality

[short:support-]
Terrible service
Support never answers

[title:delivery~]
Fine, but slow delivery
Good, just slow

[title:delivery-]
Late delivery, poor communication
Arrived {days} late
Slow, slow, slow

[title:lost-]
Still waiting for my order
Lost parcel, no help

[title:quality-]
Arrived broken
Faulty {product}
Poor quality

[title:support-]
Terrible customer service
Support is useless

"""

BANK = PhraseBank(
    language="en",
    phrases=parse_phrases(_PHRASES + MESSAGES),
    days=_days,
    anonymous="Amazon Customer",
)
