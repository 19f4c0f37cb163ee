"""The words the agency's data is made of, defined once: the schemas validate against
these literals and the database's check constraints are built from the same values."""

from typing import Literal, get_args

Gender = Literal["female", "male", "non-binary"]
RoleGender = Literal["female", "male", "non-binary", "any"]
Ethnicity = Literal[
    "asian",
    "black",
    "latino",
    "middle eastern",
    "south asian",
    "southeast asian",
    "white",
    "mixed",
    "other",
]
HairColor = Literal["black", "brown", "blond", "auburn", "chestnut", "red", "gray", "white", "bald"]
EyeColor = Literal["amber", "blue", "brown", "gray", "green", "hazel", "red", "violet"]
BodyType = Literal["average", "slim", "athletic", "muscular", "curvy", "heavyset", "plus-sized"]

GENDERS: tuple[str, ...] = get_args(Gender)
ROLE_GENDERS: tuple[str, ...] = get_args(RoleGender)
ETHNICITIES: tuple[str, ...] = get_args(Ethnicity)
HAIR_COLORS: tuple[str, ...] = get_args(HairColor)
EYE_COLORS: tuple[str, ...] = get_args(EyeColor)
BODY_TYPES: tuple[str, ...] = get_args(BodyType)
