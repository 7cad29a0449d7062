"""Distances on the ground between two points given in degrees: pure functions, no database."""

import math

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE_OF_LATITUDE = 111.2


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in kilometres (the haversine formula; Decimals accepted)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat, lon, km):
    """(south, north, west, east) in degrees around a point: every point within ``km`` is inside
    (a cheap first filter in the database before the exact distance)."""
    lat, lon = float(lat), float(lon)
    d_lat = km / KM_PER_DEGREE_OF_LATITUDE
    d_lon = km / (KM_PER_DEGREE_OF_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    return lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon
