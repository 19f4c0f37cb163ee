"""Movie endpoints."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import url_for

from auth import requires_auth
from listing import MOVIE_FILTERS, conditions, ordering, paginate, role_items, role_loading
from models import Movie, Role, db
from queries import ExpandQuery, MovieQuery
from records import apply_changes, delete, found, get_or_404, saved
from schemas import Body, Deleted, MovieBody, MovieIn, MoviePage, MoviePatch, MovieRoles, SavedMovie

bp = APIBlueprint("movies", __name__, url_prefix="/movies", tag="Movies")


@bp.get("")
@requires_auth("get:movies")
@bp.input(MovieQuery, location="query", arg_name="query")
@bp.output(MoviePage)
def list_movies(query: MovieQuery) -> dict[str, Any]:
    """List movies, filtered, sorted and a page at a time."""
    where = conditions(query, MOVIE_FILTERS)
    movies, total = paginate(db.select(Movie), query, where, ordering(Movie, query.sort))
    return {
        "success": True,
        "movies": movies,
        "total_movies": total,
        "page": query.page,
        "page_size": query.page_size,
    }


@bp.get("/<int:movie_id>")
@requires_auth("get:movies")
@bp.output(MovieBody)
def get_movie(movie_id: int) -> Any:
    """Get one movie."""
    return found(get_or_404(Movie, movie_id), "movie")


@bp.get("/<int:movie_id>/roles")
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
    db.session.commit()
    return saved(movie, "movie", 201, url_for(".get_movie", movie_id=movie.id))


@bp.patch("/<int:movie_id>")
@requires_auth("patch:movies")
@bp.input(MoviePatch, arg_name="body")
@bp.output(SavedMovie)
def update_movie(movie_id: int, body: Body) -> Any:
    """Change some of a movie's fields."""
    movie = get_or_404(Movie, movie_id)
    apply_changes(movie, body)
    db.session.commit()
    return saved(movie, "movie")


@bp.delete("/<int:movie_id>")
@requires_auth("delete:movies")
@bp.output(Deleted)
def delete_movie(movie_id: int) -> dict[str, Any]:
    """Delete a movie and, with it, all of its roles."""
    return delete(get_or_404(Movie, movie_id))
