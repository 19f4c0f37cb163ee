"""Movie endpoints."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import url_for

from api.envelopes import (
    Deleted,
    MovieBody,
    MoviePage,
    MovieRoles,
    SavedMovie,
    deleted,
    found,
    saved,
)
from api.listing import ordering, paginate, role_items, role_loading
from api.lookup import get_or_404
from api.query_params import ExpandQuery, MovieQuery
from api.schemas import Body, MovieIn, MoviePatch
from api.versions import commit, require_if_match
from auth import requires_auth
from models import Movie, Role, db

bp = APIBlueprint("movies", __name__, url_prefix="/movies", tag="Movies")


@bp.get("")
@requires_auth("get:movies")
@bp.input(MovieQuery, location="query", arg_name="query")
@bp.output(MoviePage)
def list_movies(query: MovieQuery) -> dict[str, Any]:
    """List movies, filtered, sorted and a page at a time."""
    page = paginate(db.select(Movie), query, query.conditions(), ordering(Movie, query.sort))
    return page.body("movies")


@bp.get("/<id:movie_id>")
@requires_auth("get:movies")
@bp.output(MovieBody)
def get_movie(movie_id: int) -> Any:
    """Get one movie."""
    return found(get_or_404(Movie, movie_id), "movie")


@bp.get("/<id:movie_id>/roles")
@requires_auth("get:roles")
@bp.input(ExpandQuery, location="query", arg_name="query")
@bp.output(MovieRoles)
def list_movie_roles(movie_id: int, query: ExpandQuery) -> dict[str, Any]:
    """List every role in one movie."""
    get_or_404(Movie, movie_id)
    statement = db.select(Role).filter_by(movie_id=movie_id).order_by(Role.id)
    roles = db.session.scalars(statement.options(*role_loading(query.expansions))).all()
    return {"success": True, "movie_id": movie_id, "roles": role_items(roles, query.expansions)}


@bp.post("")
@requires_auth("post:movies")
@bp.input(MovieIn, arg_name="body")
@bp.output(SavedMovie, status_code=201)
def create_movie(body: MovieIn) -> Any:
    """Add a movie."""
    movie = Movie(**body.model_dump())
    db.session.add(movie)
    commit()
    return saved(movie, "movie", 201, url_for(".get_movie", movie_id=movie.id))


@bp.patch("/<id:movie_id>")
@requires_auth("patch:movies")
@bp.input(MoviePatch, arg_name="body")
@bp.output(SavedMovie)
def update_movie(movie_id: int, body: Body) -> Any:
    """Change some of a movie's fields."""
    movie = get_or_404(Movie, movie_id)
    require_if_match(movie)
    body.apply_to(movie)
    commit()
    return saved(movie, "movie")


@bp.delete("/<id:movie_id>")
@requires_auth("delete:movies")
@bp.output(Deleted)
def delete_movie(movie_id: int) -> dict[str, Any]:
    """Delete a movie and, with it, all of its roles."""
    movie = get_or_404(Movie, movie_id)
    require_if_match(movie)
    db.session.delete(movie)
    db.session.commit()
    return deleted(movie_id)
