// 1,024 short, common, unambiguous English words (3-6 letters, a-z) for receipt
// passphrases: each word carries 10 bits. Written for this project; nothing violent,
// sexual or sad, so a passphrase never reads like a threat or a risk word.
export const WORDS: readonly string[] = Object.freeze(
  `
able acid acorn actor adult afar aged agent agree ahead air album algae alley allow almond alpha
amber amid ample angel angle ankle apple april apron arch arena argue arm aroma arrow art aside atom
attic audio aunt autumn awake award away baby back badge bag bake baker ball bamboo banana band bank
barn barrel base basil basin basket bath beach beam bean bear beard beat bed bee begin bell belt
bench berry best bike bill bird birth black blank blend blink block bloom blue board boat body boil
bold bonus book boot border bottle bottom bounce bowl box brain branch brave bread break breeze
brick bridge brief bright bring broad brook broom brown brush bubble bucket buddy budget build bulb
bunch bundle bunny bus bush busy butter button buyer buzz cabin cable cactus cage cake calm camel
camera camp canal candle candy canoe canvas canyon cap cape car card care cargo carpet carrot cart
case cash castle cat catch cattle cave cedar celery cello cement cereal chair chalk chance change
charm chart cheek cheese cherry chess chest chick chief child chin chip choice chord circle city
civic clap class clay clean clerk click cliff climb clock cloth cloud clover clown club coach coast
coat cocoa code coffee coin cold collar color column comb comet comic common cook cookie cool copper
copy coral corn corner cotton couch count couple course cousin cover cow cozy crab craft crane
crayon cream creek crew crisp crop cross crowd crown cube cup curve cycle daily dairy daisy dance
dawn day deal deer delta denim desert design desk detail dial diary digit dinner dish diver dock
doctor dog doll donkey door double dove dozen dragon drama draw dream dress drift drink drum duck
dune dust duty eager eagle early earth easel east easy echo edge editor egg eight elbow elder empty
energy engine enjoy enter entry equal errand essay even event exact exam exit extra eye fabric face
fact fair fairy falcon family famous fancy farm fast father feast fence fern fiber field fig figure
film final finch find finger finish fish five flag flash flat flavor fleet flight float flock floor
flour flower flute foam focus fog folk food foot forest fork form fox frame fresh friend frog front
fruit fudge fuel fur gadget galaxy game garage garden garlic gate gather gecko gem gentle giant gift
ginger glad glass globe glove glow glue goal goat gold golf good goose grain grape graph grass great
green grid grill grin ground group grow guess guest guide guitar habit hair half hall hammer hand
handle happy hare harp hat hawk hazel head health heart heat hedge height helmet help herb hero
heron hill hint hobby honey hood hope horn horse host hotel hour house hug human humble hurry ice
icon idea igloo image inch index ink insect inside iris iron island item ivory ivy jacket jaguar jam
jar jazz jeans jelly jewel job join joke joy juice jump jungle junior kayak keen kettle key kid kind
kiosk kit kite kitten kiwi knee koala label lace ladder lake lamp land lane laptop large laser late
laugh lawn layer lead leaf lemon lens lesson letter lever light lilac lily lime line linen lion list
little lizard llama loaf lobby lodge long loop lotus loud lucky lunch lynx lyric magic magnet mail
main major mango manor map maple marble march market mask match meadow meal medal melon member memo
menu merit middle mild mile milk mill mind mint minute mirror mist model modern moment monkey month
moon moose mosaic moss mother motor mouse mouth movie muffin mule museum music nail name napkin
nation native nature near neat neck needle nest net news next nice night noble noodle noon north
nose note novel number nurse nut oak oasis ocean office olive omelet onion open opera orange orbit
orchid order organ origin otter outer oval oven owl owner oxygen oyster paddle page paint pair
palace palm panda panel paper parade park parrot party pass pasta path pause peach peak peanut pear
pearl pebble pecan pedal pen pencil people pepper piano picnic pie pier pigeon pillow pilot pine
pink pipe pizza place plain plan planet plant plate play plaza plum pocket poem poet point polar
pond pony pool poppy porch port post potato powder praise prize proud pupil puppy puzzle quail quest
quick quiet quilt quiz quote rabbit radar radio raft rain raisin ranch range ray reader ready recipe
record reef relax remote rhyme ribbon rice rich ride ridge ring river road robin robot rock rocket
roof room root rope rose round route royal ruby rug rule ruler saddle safe sail salad salmon salt
sample sand sandal satin sauce scale scarf scene school scout screen sea seal season seat second
seed shape share shark sheep shelf shell shine ship shirt shoe shore short shovel side sign silk
silver simple singer sink sister skate sketch ski skirt sky sled sleeve slice slide slow smile snack
snail snow soap soccer sock sofa soft soil solar song sound soup south space spark speed spice
spider spoon sport spring sprout square squash squid stable stage stair stamp star start steam step
still stone stool story stove straw stream street stripe studio sugar suit summer sun sunny supper
surf swan sweet swim swing symbol table tablet tail talent tall tango tape taxi tea team teapot
teeth temple tennis tent test text thanks thread three thumb ticket tide tiger tile timber time tin
tiny title toast today tomato tone tool tooth topic total tour towel tower town toy track trade
trail train travel tray treat tree trend trip trophy truck true trunk tulip tuna tune tunnel turkey
turtle tutor twelve twin type uncle under union unit upper urban useful usual valley value van vase
velvet venue verse vessel video view villa violet violin visit vivid vocal voice volume voyage wagon
waiter walk wall walnut walrus wander warm water wave wax wealth web week well west whale wheat
wheel white wide width wild willow wind window wing winner winter wisdom wise wolf wonder wood wool
word work world wrist write yacht yard yarn year yellow yoga yogurt young zebra zero zigzag zinc
zone zoo
`
    .trim()
    .split(/\s+/),
);
